"""The reminders page and its actions (issue 7), mounted at /reminders/."""
from django.urls import path

from . import views

app_name = "reminders"

urlpatterns: list = [
    path("o/<str:area_code>/", views.today, name="today"),
    path("o/<str:area_code>/hold/", views.hold, name="hold"),
    path("o/<str:area_code>/release/", views.release, name="release"),
    path("o/<str:area_code>/retry/", views.retry, name="retry"),
    path("o/<str:area_code>/send/", views.send, name="send"),
    path("o/<str:area_code>/runs/<int:pk>/", views.run, name="run"),
    path("o/<str:area_code>/runs/<int:pk>/status/", views.run_status, name="run-status"),
    path("o/<str:area_code>/preview/", views.preview_letter, name="preview-letter"),
    path("o/<str:area_code>/print/", views.print_letters, name="print"),
]
