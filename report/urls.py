from django.urls import path

from . import views

app_name = "report"

urlpatterns = [
    # A decision's address is its id in the data set (data/report/*.yaml, "decisions").
    path("decisions/<slug:slug>/", views.decision_detail, name="decision"),
]
