import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cities.models import CityMembership, Person, ReviewStatus
from cities.permissions import can_edit_city
from cities.selectors import public_city_list
from cities.services import (
    city_propose,
    city_review_approve,
    city_review_reject,
    membership_approve,
    membership_leave,
    membership_reject,
    membership_request,
    person_language_set,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(staff_user):
    return staff_user


def test_request_creates_a_pending_membership_and_links_a_person_to_the_user():
    city = factories.city(name="Cusco")
    account = factories.user(email="ana@cusco.example")

    membership = membership_request(
        user=account, city=city, full_name="Ana Quispe", role="Director of Tourism", language="es"
    )

    person = Person.objects.get(user=account)
    assert (membership.status, membership.role) == (CityMembership.Status.PENDING, "Director of Tourism")
    assert (person.full_name, person.title, person.email, person.preferred_language) == (
        "Ana Quispe",
        "Director of Tourism",
        "ana@cusco.example",
        "es",
    )
    assert not can_edit_city(account, city)


def test_request_links_the_person_already_on_file_with_the_same_address():
    city = factories.city()
    speaker = factories.person(full_name="Li Wei", email="li.wei@luoyang.example")
    account = factories.user(email="li.wei@luoyang.example")

    membership_request(user=account, city=city, full_name="Li Wei", role="Deputy director")

    assert list(Person.objects.filter(user=account).values_list("pk", flat=True)) == [speaker.pk]
    assert Person.objects.count() == 1


def test_a_second_open_request_for_the_same_city_is_refused():
    city = factories.city()
    account = factories.user()
    membership_request(user=account, city=city, full_name="A B", role="Officer")

    with pytest.raises(ValidationError) as error:
        membership_request(user=account, city=city, full_name="A B", role="Officer")

    assert error.value.message_dict == {"city": ["You have already asked to represent this city."]}
    assert CityMembership.objects.count() == 1


def test_approval_lets_the_official_edit_the_city_and_makes_them_one_of_its_people(reviewer):
    city = factories.city()
    account = factories.user()
    membership = membership_request(user=account, city=city, full_name="A B", role="Officer")

    membership = membership_approve(
        membership=membership, by=reviewer, reason="Checked with the mayor's office"
    )

    assert (membership.status, membership.decided_by, membership.decision_reason) == (
        CityMembership.Status.APPROVED,
        reviewer,
        "Checked with the mayor's office",
    )
    assert membership.decided_at is not None
    assert can_edit_city(account, city)
    assert Person.objects.get(user=account).city == city


def test_rejection_needs_a_reason_and_leaves_the_city_closed(reviewer):
    city = factories.city()
    account = factories.user()
    membership = membership_request(user=account, city=city, full_name="A B", role="Officer")

    with pytest.raises(ValidationError):
        membership_reject(membership=membership, by=reviewer, reason="  ")
    membership = membership_reject(
        membership=membership, by=reviewer, reason="We could not confirm your role."
    )

    assert (membership.status, membership.decision_reason) == (
        CityMembership.Status.REJECTED,
        "We could not confirm your role.",
    )
    assert not can_edit_city(account, city)


def test_a_decided_request_cannot_be_decided_again(reviewer):
    membership = membership_request(
        user=factories.user(), city=factories.city(), full_name="A B", role="Officer"
    )
    membership_reject(membership=membership, by=reviewer, reason="No")

    with pytest.raises(ValidationError):
        membership_approve(membership=membership, by=reviewer)

    membership.refresh_from_db()
    assert membership.status == CityMembership.Status.REJECTED


def test_an_official_who_leaves_can_edit_nothing_and_may_ask_again(reviewer):
    city = factories.city()
    account = factories.official(city_=city, staff=reviewer)
    membership = CityMembership.objects.get(user=account, city=city)

    membership_leave(membership=membership, user=account)
    again = membership_request(user=account, city=city, full_name="A B", role="Officer")

    assert list(CityMembership.objects.filter(city=city).values_list("status", flat=True)) == [
        "pending",
        "left",
    ]
    assert not can_edit_city(account, city)
    assert Person.objects.get(user=account).city is None
    assert again.status == CityMembership.Status.PENDING


def test_someone_else_cannot_close_a_users_membership(reviewer):
    city = factories.city()
    account = factories.official(city_=city, staff=reviewer)
    membership = CityMembership.objects.get(user=account, city=city)

    with pytest.raises(ValidationError):
        membership_leave(membership=membership, user=factories.user())

    assert can_edit_city(account, city)


def test_a_proposed_city_is_hidden_until_staff_approve_it(reviewer):
    peru = factories.country(iso_code="PE", name="Peru")
    account = factories.user()

    membership = city_propose(
        user=account,
        name="Arequipa",
        kind="city",
        country=peru,
        full_name="Rosa Díaz",
        role="Tourism officer",
    )
    hidden = [city.name for city in public_city_list()]
    with pytest.raises(ValidationError) as refused:
        membership_approve(membership=membership, by=reviewer)
    city_review_approve(city=membership.city, by=reviewer)
    membership_approve(membership=membership, by=reviewer)

    assert hidden == []
    assert refused.value.messages == ["Approve the proposed city first."]
    assert [city.name for city in public_city_list()] == ["Arequipa"]
    assert can_edit_city(account, membership.city)


def test_rejecting_a_proposed_city_rejects_its_requests_with_the_reason(reviewer):
    account = factories.user()
    membership = city_propose(
        user=account,
        name="Nowhere",
        kind="city",
        country=factories.country(),
        full_name="A B",
        role="Officer",
    )

    city_review_reject(city=membership.city, by=reviewer, reason="Not a local authority.")

    membership.refresh_from_db()
    membership.city.refresh_from_db()
    assert membership.city.review_status == ReviewStatus.REJECTED
    assert (membership.status, membership.decision_reason) == ("rejected", "Not a local authority.")


def test_proposing_a_city_already_listed_is_refused():
    city = factories.city(name="Morelia")

    with pytest.raises(ValidationError) as error:
        city_propose(
            user=factories.user(),
            name="morelia",
            kind="city",
            country=city.country,
            full_name="A B",
            role="C",
        )

    assert list(error.value.message_dict) == ["name"]


def test_the_decision_email_goes_through_the_outbox_once_in_the_officials_language(
    reviewer, django_capture_on_commit_callbacks, eager_tasks
):
    from partnerships.invitations.delivery import invitation_send
    from partnerships.models import Invitation

    city = factories.city(name="Guadalajara")
    account = factories.user(email="luis@gdl.example")
    membership = membership_request(
        user=account, city=city, full_name="Luis Pérez", role="Director", language="es"
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership_approve(membership=membership, by=reviewer, reason="Bienvenido")
    decision = Invitation.objects.get(membership=membership)
    again = invitation_send(invitation_id=decision.pk)

    # One e-mail, written in the deciding transaction and queued after it: the outbox sends it once,
    # even to someone who never agreed to partnership contact (it answers their own request).
    assert len(callbacks) == 2  # the send, and the refresh of the city the official joined
    assert (decision.kind, again) == (Invitation.Kind.MEMBERSHIP_DECISION, "not_claimed")
    decision.refresh_from_db()
    assert (decision.status, decision.sent_to) == ("sent", "luis@gdl.example")
    assert [message.to for message in mail.outbox] == [["luis@gdl.example"]]
    assert mail.outbox[0].subject == "[Travel South] Ya puede actuar en nombre de Guadalajara en Travel South"
    assert "Estimado/a Luis Pérez" in mail.outbox[0].body
    assert "Bienvenido" in mail.outbox[0].body
    assert "porque pidió actuar en nombre de una ciudad" in mail.outbox[0].body


def test_the_users_language_choice_becomes_the_persons_preferred_language(client):
    account = factories.user()
    membership_request(user=account, city=factories.city(), full_name="A B", role="C", language="en")
    client.force_login(account)

    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert response.status_code == 302
    assert Person.objects.get(user=account).preferred_language == "zh-hans"
    assert person_language_set(user=factories.user(), language="es") is None
