"""The monitoring calendar (issue 7), mounted at /calendar/ in the ``calendar`` namespace."""
from django.urls import path

from . import views

app_name = "calendar"

urlpatterns: list = [
    path("o/<str:area_code>/", views.month, name="month"),
    path("o/<str:area_code>/list/", views.event_list, name="list"),
    path("o/<str:area_code>/gantt/", views.gantt, name="gantt"),
    path("o/<str:area_code>/generate/", views.generate, name="generate"),
    path("o/<str:area_code>/generate/<int:pk>/", views.build_status, name="build-status"),
    path("o/<str:area_code>/events/new/", views.event_add, name="event-add"),
    path("o/<str:area_code>/events/<int:pk>/", views.event_edit, name="event-edit"),
    path("o/<str:area_code>/events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("feed/", views.feed_info, name="feed-info"),
    path("feed/reset/", views.feed_reset, name="feed-reset"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
