"""URLs of the home page.

Included at the site root without a namespace: every template and test names the page
``home`` (``{% url 'home' %}``), as it was when the page lived in the core.
"""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
