"""URLs of document builds, mounted at ``/documents/``."""
from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("o/<str:area_code>/<int:pk>/status/", views.status, name="status"),
    path("o/<str:area_code>/<int:pk>/file/", views.download, name="download"),
]
