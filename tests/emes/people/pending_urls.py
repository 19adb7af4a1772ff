"""The site's URLs with ``emes.people.account_urls`` in front of ``django.contrib.auth.urls``.

Used by the people tests only while ``emes/urls.py`` still includes Django's account views (see
``conftest.account_urls``); once it includes ``emes.people.account_urls`` this file is unused.
"""
from django.urls import include, path

from emes.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("accounts/", include("emes.people.account_urls")), *site_urlpatterns]
