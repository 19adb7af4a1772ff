"""URLs of the people pages (plan officer; the director reads): members and school accounts of an office."""
from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("o/<str:area_code>/people/", views.people, name="people"),
    path("o/<str:area_code>/people/add/", views.add_membership, name="add-membership"),
    path("o/<str:area_code>/people/new/", views.add_person, name="add-person"),
    path("o/<str:area_code>/people/memberships/<int:pk>/remove/", views.remove_membership, name="remove-membership"),
    path("o/<str:area_code>/school-accounts/", views.school_accounts, name="school-accounts"),
    path("o/<str:area_code>/school-accounts/generate/", views.generate_school_accounts, name="generate-school-accounts"),
    path("o/<str:area_code>/school-accounts/<int:pk>/pdf/", views.download_batch_pdf, name="school-accounts-pdf"),
    path("o/<str:area_code>/school-accounts/<int:pk>/xlsx/", views.download_batch_xlsx, name="school-accounts-xlsx"),
    path(
        "o/<str:area_code>/school-accounts/<str:smis_code>/reset/", views.reset_school_password, name="reset-school-password"
    ),
]
