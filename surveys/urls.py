from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    # Before the slug routes: "answer" is a reserved slug (surveys.models.RESERVED_SURVEY_SLUGS).
    path("answer/<str:token>/", views.answer_by_link, name="answer"),
    path("<slug:slug>/answer/", views.answer_for_city, name="answer_for_city"),
    path("<slug:slug>/results/", views.survey_results, name="results"),
    path("<slug:slug>/summary/", views.survey_summary, name="summary"),
    path("<slug:slug>/results.csv", views.export_results, name="export_results"),
    path("<slug:slug>/answers.csv", views.export_answers, name="export_answers"),
]
