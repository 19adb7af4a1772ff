"""The evaluation pages (issue 16)."""
from django.urls import path

from . import answer_views, output_views, views

app_name = "evaluation"

urlpatterns = [
    path("o/<str:area_code>/evaluation/", views.evaluations, name="evaluations"),
    path("o/<str:area_code>/evaluation/forms/new/", views.form_create, name="form-create"),
    path("o/<str:area_code>/evaluation/forms/<int:pk>/", views.form_detail, name="form"),
    path("o/<str:area_code>/evaluation/forms/<int:pk>/bands/", views.bands_edit, name="bands"),
    path("o/<str:area_code>/evaluation/forms/<int:pk>/sections/add/", views.section_add, name="section-add"),
    path("o/<str:area_code>/evaluation/forms/<int:pk>/items/add/", views.item_add, name="item-add"),
    path("o/<str:area_code>/evaluation/forms/<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item-delete"),
    path("o/<str:area_code>/evaluation/new/", views.evaluation_create, name="evaluation-create"),
    path("o/<str:area_code>/evaluation/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("o/<str:area_code>/evaluation/<int:pk>/action/", views.evaluation_action, name="evaluation-action"),
    path("o/<str:area_code>/evaluation/<int:pk>/respondents/", views.respondents_add, name="respondents"),
    path("o/<str:area_code>/evaluation/<int:pk>/results/", views.results, name="results"),
    path("o/<str:area_code>/evaluation/<int:pk>/results/pdf/", output_views.results_pdf, name="results-pdf"),
    path("o/<str:area_code>/evaluation/<int:pk>/reports/<int:job_pk>/", output_views.report_download, name="report-download"),
    path("o/<str:area_code>/evaluation/<int:pk>/answers/xlsx/", output_views.answers_xlsx, name="answers-xlsx"),
    path("o/<str:area_code>/evaluation/<int:pk>/qr/", output_views.qr_page, name="qr"),
    path("evaluation/mine/", answer_views.my_list, name="mine"),
    path("evaluation/answer/<int:pk>/", answer_views.respondent_answer, name="answer"),
    path("e/<str:token>/", answer_views.public_answer, name="public"),
    path("e/<str:token>/thanks/", answer_views.public_done, name="public-done"),
]
