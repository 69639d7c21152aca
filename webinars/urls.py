from django.urls import path

from . import views

app_name = "webinars"

urlpatterns = [
    path("", views.webinar_list, name="list"),
    path("<slug:slug>/", views.webinar_detail, name="detail"),
]
