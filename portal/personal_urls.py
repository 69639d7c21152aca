"""A signed-in person's own data (mounted at /officials/ beside the officials' pages)."""

from django.urls import path

from . import personal_views

app_name = "personal"

urlpatterns = [
    path("my-data.json", personal_views.my_data, name="download"),
    path("delete-account/", personal_views.delete_account, name="delete_account"),
]
