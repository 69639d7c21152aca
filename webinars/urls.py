from django.urls import path

from . import views

app_name = "webinars"

urlpatterns = [
    path("", views.webinar_list, name="list"),
    path("views.csv", views.views_csv, name="views_csv"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("<slug:slug>/", views.webinar_detail, name="detail"),
]
