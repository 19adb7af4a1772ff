"""The office side: rounds, window, status board (issue 6). In the ``literacy`` namespace."""
from django.urls import path

from . import office_views

urlpatterns: list = [
    path("o/<str:area_code>/literacy/", office_views.rounds, name="rounds"),
    path("o/<str:area_code>/literacy/new/", office_views.round_create, name="round-create"),
    path("o/<str:area_code>/literacy/<int:pk>/", office_views.round_board, name="round"),
    path("o/<str:area_code>/literacy/<int:pk>/action/", office_views.round_action, name="round-action"),
]
