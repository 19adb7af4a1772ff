"""URLs of the registry (schools of an office), under the ``o/<area_code>/`` prefix of office pages."""
from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("o/<str:area_code>/schools/", views.school_list, name="school-list"),
    path("o/<str:area_code>/schools/import/", views.school_import_upload, name="school-import-upload"),
    path("o/<str:area_code>/schools/import/<int:pk>/", views.school_import_preview, name="school-import-preview"),
]
