from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    # Approved officials of the city only.
    path("interests/<slug:slug>/", views.interest_register, name="interest_register"),
    path("interests/<slug:slug>/history/", views.interest_history, name="interest_history"),
]
