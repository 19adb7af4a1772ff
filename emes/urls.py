"""URL configuration of EMES."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("home.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("emes.people.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("emes.registry.urls")),
    path("", include("emes.people.urls")),
    path("", include("plans.urls")),
    path("", include("literacy.urls")),
    path("", include("evaluation.urls")),
    path("reports/", include("reports.urls")),
    path("calendar/", include("emes.calendar.urls")),
    path("notifications/", include("emes.notifications.urls")),
    path("documents/", include("emes.documents.urls")),
    path("letters/", include("reports.letters.urls")),
    path("reminders/", include("reports.reminders.urls")),
    path("inspections/reports/", include("inspections.outputs.urls")),
    path("inspections/", include("inspections.urls")),
    path("public/", include("reports.publication.public_urls")),
    path("admin/", admin.site.urls),
]
