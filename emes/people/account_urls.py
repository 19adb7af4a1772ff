"""Account URLs under ``accounts/``, a drop-in for ``django.contrib.auth.urls`` (login and logout excluded).

Same paths and URL names as Django's (``password_change``, ``password_reset_confirm``, ...), so
``ForcePasswordChangeMiddleware`` and every ``{% url %}`` keep working, but the password is set
through ``emes.people.services.change_password``, which clears the one-time-password flag, and the
reset form is throttled (``emes.people.throttle``).
Include it in place of ``django.contrib.auth.urls``: ``path("accounts/", include("emes.people.account_urls"))``.
"""
from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("password_change/", views.password_change, name="password_change"),
    path("password_change/done/", views.password_change_done, name="password_change_done"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
