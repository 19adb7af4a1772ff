"""The school side: its form and workbook (issue 6)."""
from django.urls import path

from . import school_views

urlpatterns: list = [
    path("s/<str:smis_code>/literacy/<int:round_pk>/", school_views.round_page, name="school-round"),
    path("s/<str:smis_code>/literacy/<int:round_pk>/form/", school_views.form_page, name="school-form"),
    path("s/<str:smis_code>/literacy/<int:round_pk>/template/", school_views.template_download, name="school-template"),
    path("s/<str:smis_code>/literacy/<int:round_pk>/upload/", school_views.upload, name="school-upload"),
    path("s/<str:smis_code>/literacy/<int:round_pk>/upload/<str:token>/", school_views.upload_preview, name="school-upload-preview"),
]
