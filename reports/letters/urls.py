from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("o/<str:area_code>/", views.register, name="register"),
    path("o/<str:area_code>/xlsx/", views.register_xlsx, name="register-xlsx"),
    path("o/<str:area_code>/sample/<str:kind>/", views.sample, name="sample"),
    path("<int:pk>/pdf/", views.download, name="download"),
]
