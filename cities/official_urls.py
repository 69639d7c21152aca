"""A signed-up user's own pages (mounted at /officials/)."""

from django.urls import path

from .views import officials

app_name = "officials"

urlpatterns = [
    path("", officials.dashboard, name="dashboard"),
    path("details/", officials.person_details, name="details"),
    path("consent/", officials.consent, name="consent"),
    path("cities/request/", officials.membership_request, name="membership_request"),
    path("cities/propose/", officials.city_propose, name="city_propose"),
    path("memberships/<int:membership_id>/leave/", officials.membership_leave, name="membership_leave"),
]
