"""The good practice library (mounted at /good-practices/)."""

from django.urls import path

from .views import public

app_name = "practices"

urlpatterns = [
    path("", public.practice_list, name="list"),
    path("<slug:slug>/", public.practice_detail, name="detail"),
]
