"""URLs of the plan workbook (template, export, import); part of the ``plans`` namespace (``plans/urls.py``)."""
from django.urls import path

from . import views

urlpatterns = [
    path("o/<str:area_code>/plan/<int:fiscal_year>/workbook/template/", views.plan_template, name="plan-template"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/workbook/export/", views.plan_export, name="plan-export"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/workbook/import/", views.plan_import, name="plan-import"),
    path("o/<str:area_code>/plan/<int:fiscal_year>/workbook/import/<int:pk>/", views.plan_import_preview, name="plan-import-preview"),
]
