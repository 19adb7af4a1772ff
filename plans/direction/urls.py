"""URLs of the plan's direction and strategy-level results; part of the ``plans`` namespace."""
from django.urls import path

from . import views

urlpatterns: list = [
    path("o/<str:area_code>/plan/<int:fiscal_year>/direction/", views.direction, name="plan-direction"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/strategy-results/", views.strategy_results, name="strategy-results"),
]
