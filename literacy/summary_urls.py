"""Summaries: page, PDF, Excel (issue 6)."""
from django.urls import path

from . import summary_views

urlpatterns = [
    path("o/<str:area_code>/literacy/<int:pk>/summary/", summary_views.summary, name="summary"),
    path("o/<str:area_code>/literacy/<int:pk>/summary/pdf/", summary_views.summary_pdf, name="summary-pdf"),
    path("o/<str:area_code>/literacy/<int:pk>/summary/xlsx/", summary_views.summary_xlsx, name="summary-xlsx"),
]
