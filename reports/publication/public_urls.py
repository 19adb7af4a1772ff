from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("<str:area_code>/", public_views.office_page, name="office"),
    path("<str:area_code>/annual-reports/<int:pk>.pdf", public_views.download, name="annual-report-pdf"),
]
