"""Staff decide on requests and proposed cities in the admin, through actions that call the services."""

import pytest
from django.urls import reverse

from cities.models import City, CityMembership, ReviewStatus
from cities.permissions import can_edit_city
from cities.services import city_propose, membership_request
from tests import factories

pytestmark = pytest.mark.django_db

MEMBERSHIPS = reverse("admin:cities_citymembership_changelist")
CITIES = reverse("admin:cities_city_changelist")


def request_for(city, account=None):
    account = account or factories.user()
    return membership_request(user=account, city=city, full_name="A B", role="Officer")


def test_approving_asks_for_an_optional_reason_then_approves(staff_client, staff_user):
    first, second = request_for(factories.city()), request_for(factories.city())
    selected = {"action": "approve_memberships", "_selected_action": [first.pk, second.pk]}

    confirmation = staff_client.post(MEMBERSHIPS, selected)
    done = staff_client.post(
        MEMBERSHIPS, {**selected, "apply": "1", "reason": "Confirmed by e-mail"}, follow=True
    )

    assert confirmation.status_code == 200
    assert sorted(row.pk for row in confirmation.context["rows"]) == [first.pk, second.pk]
    assert list(
        CityMembership.objects.order_by("pk").values_list("status", "decided_by", "decision_reason")
    ) == [
        ("approved", staff_user.pk, "Confirmed by e-mail"),
        ("approved", staff_user.pk, "Confirmed by e-mail"),
    ]
    assert [str(message) for message in done.context["messages"]] == [
        f"Decided: {second}; {first}."
    ]  # newest first, as listed
    assert can_edit_city(first.user, first.city)


def test_rejecting_without_a_reason_shows_the_error_and_changes_nothing(staff_client):
    membership = request_for(factories.city())
    selected = {"action": "reject_memberships", "_selected_action": [membership.pk], "apply": "1"}

    response = staff_client.post(MEMBERSHIPS, {**selected, "reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    membership.refresh_from_db()
    assert membership.status == CityMembership.Status.PENDING


def test_a_row_the_service_refuses_is_reported_and_the_others_go_through(staff_client, staff_user):
    proposed = city_propose(
        user=factories.user(),
        name="Newtown",
        kind="city",
        country=factories.country(),
        full_name="A",
        role="B",
    )
    listed = request_for(factories.city(name="Oldtown"))

    response = staff_client.post(
        MEMBERSHIPS,
        {"action": "approve_memberships", "_selected_action": [proposed.pk, listed.pk], "apply": "1"},
        follow=True,
    )

    assert dict(CityMembership.objects.values_list("city__name", "status")) == {
        "Newtown": "pending",
        "Oldtown": "approved",
    }
    assert sorted(str(message) for message in response.context["messages"]) == [
        f"Decided: {listed}.",
        f"{proposed}: Approve the proposed city first.",
    ]


def test_staff_approve_a_proposed_city_with_the_action(staff_client):
    membership = city_propose(
        user=factories.user(),
        name="Newtown",
        kind="city",
        country=factories.country(),
        full_name="A",
        role="B",
    )

    staff_client.post(
        CITIES, {"action": "approve_proposed_cities", "_selected_action": [membership.city.pk], "apply": "1"}
    )

    assert City.objects.get(pk=membership.city.pk).review_status == ReviewStatus.APPROVED


def test_membership_status_cannot_be_changed_by_hand(staff_client):
    membership = request_for(factories.city())

    response = staff_client.get(reverse("admin:cities_citymembership_change", args=[membership.pk]))

    assert "status" not in response.context["adminform"].form.fields
    assert staff_client.get(reverse("admin:cities_citymembership_add")).status_code == 403
