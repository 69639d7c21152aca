from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("answer/<str:token>/", views.answer, name="answer"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
    path("consent/<str:token>/", views.consent, name="consent"),
    path("stop/<str:token>/", views.stop, name="stop"),
]
