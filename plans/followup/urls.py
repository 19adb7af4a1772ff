"""URLs of plans.followup; part of the ``plans`` namespace (``plans/urls.py``)."""
from django.urls import path

from . import views

urlpatterns: list = [
    path("o/<str:area_code>/monitoring/<int:fiscal_year>/completeness/", views.completeness, name="completeness"),
    path("o/<str:area_code>/monitoring/<int:fiscal_year>/disbursement/", views.disbursement, name="disbursement"),
    path("o/<str:area_code>/monitoring/<int:fiscal_year>/indicators/", views.indicator_tracking, name="indicator-tracking"),
    path("o/<str:area_code>/monitoring/<int:fiscal_year>/q<int:quarter>/export/", views.quarter_export, name="quarter-export"),
]
