"""Staff never meet a dead end: who can be invited is on the proposal page with the means to fix it,
an approval can be moved back and a closed proposal reopened, and an approval waiting too long for a
contact expires (and can be reopened)."""

import datetime as dt

import pytest
from django.core import mail

from cities.models import Person
from cities.services import person_consent_withdraw
from partnerships.invitations.dispatch import invitations_dispatch
from partnerships.lifecycle import proposal_approve, proposal_reject
from partnerships.models import Invitation, Proposal
from tests import factories
from tests.partnerships import timeline_reading

from .invitations import builders

pytestmark = pytest.mark.django_db


def change_url(proposal):
    return f"/admin/partnerships/proposal/{proposal.pk}/change/"


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks, eager_tasks):
    def run(door):
        with django_capture_on_commit_callbacks(execute=True):
            return door()

    return run


def test_the_proposal_page_says_per_city_who_can_be_invited_and_what_is_missing(staff_client):
    proposal, _spanish, chinese = builders.proposal_with_contacts()
    person_consent_withdraw(person=chinese, source="test")
    factories.person(city=proposal.city_b, full_name="Zhang Wei")  # no address
    factories.person(city=proposal.city_b, full_name="Survey respondent, Luoyang", is_reconstructed=True)

    page = staff_client.get(change_url(proposal)).content.decode()

    assert "Can be invited:</strong> Ana Morales" in page
    assert "Li Wei (has not agreed to be contacted)" in page
    assert "Zhang Wei (<a href=" in page and "no e-mail address: add one" in page
    assert "1 placeholder person from the report&#x27;s reconstructed data (never contacted)" in page
    assert f'form="consent-request-{chinese.pk}"' in page and f'id="consent-request-{chinese.pk}"' in page


def test_staff_ask_an_existing_contact_for_consent_once(staff_client, after_commit):
    proposal, _spanish, chinese = builders.proposal_with_contacts()
    person_consent_withdraw(person=chinese, source="test")
    url = f"/admin/partnerships/proposal/{proposal.pk}/consent-request/{chinese.pk}/"

    after_commit(lambda: staff_client.post(url))
    after_commit(lambda: staff_client.post(url))

    requests = Invitation.objects.filter(kind=Invitation.Kind.CONSENT_REQUEST, person=chinese)
    assert [request.status for request in requests] == ["sent"]
    assert [message.to for message in mail.outbox] == [[chinese.email]]
    assert timeline_reading.of_kind("consent_requested") == [
        "staff asked Li Wei (Luoyang) to agree to be contacted."
    ]


def test_a_new_contact_with_a_taken_address_gets_a_form_error(staff_client):
    proposal, spanish, _chinese = builders.proposal_with_contacts()

    page = staff_client.post(
        f"/admin/partnerships/proposal/{proposal.pk}/cities/{proposal.city_b_id}/add-contact/",
        {"full_name": "Someone", "email": spanish.email, "preferred_language": "zh-hans"},
    )

    assert page.context["form"].errors == {"email": ["Someone on file already has this e-mail address."]}
    assert not Person.objects.filter(full_name="Someone").exists()


def test_staff_record_consent_obtained_elsewhere_and_the_waiting_approval_moves_on(
    staff_client, staff_user, after_commit
):
    proposal, _spanish, chinese = builders.proposal_with_contacts()
    person_consent_withdraw(person=chinese, source="test")
    after_commit(lambda: proposal_approve(proposal=proposal, by=staff_user))
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.WAITING

    after_commit(
        lambda: staff_client.post(
            "/admin/cities/person/",
            {
                "action": "record_consent_obtained_elsewhere",
                "_selected_action": [chinese.pk],
                "apply": "1",
                "source": "Signed form at the Luoyang tourism fair",
                "obtained_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
            },
        )
    )

    chinese.refresh_from_db()
    assert chinese.has_contact_consent
    assert chinese.contact_consent_source == "Signed form at the Luoyang tourism fair (recorded by staff)"
    assert chinese.contact_consent_given_at.date() == dt.date.today() - dt.timedelta(days=2)
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.APPROVED
    assert sorted(
        Invitation.objects.filter(kind="introduction").values_list("person__full_name", flat=True)
    ) == [
        "Ana Morales",
        "Li Wei",
    ]


def test_consent_in_the_future_is_refused(staff_client):
    person = factories.person(email="x@example.org")

    page = staff_client.post(
        "/admin/cities/person/",
        {
            "action": "record_consent_obtained_elsewhere",
            "_selected_action": [person.pk],
            "apply": "1",
            "source": "A call",
            "obtained_on": (dt.date.today() + dt.timedelta(days=1)).isoformat(),
        },
    )

    assert page.context["form"].errors == {"obtained_on": ["Consent cannot have been given in the future."]}
    assert not Person.objects.get(pk=person.pk).has_contact_consent


def test_an_approval_moved_back_closes_its_introductions_and_a_new_approval_invites_afresh(
    staff_client, staff_user, after_commit
):
    proposal, _spanish, _chinese = builders.proposal_with_contacts()
    after_commit(lambda: proposal_approve(proposal=proposal, by=staff_user))

    after_commit(
        lambda: staff_client.post(
            f"/admin/partnerships/proposal/{proposal.pk}/move-back/", {"note": "New mayor."}
        )
    )
    after_commit(lambda: staff_client.post(f"/admin/partnerships/proposal/{proposal.pk}/approve/"))

    proposal.refresh_from_db()
    assert (proposal.status, proposal.approval_round) == (Proposal.Status.APPROVED, 2)
    assert sorted(Invitation.objects.filter(kind="introduction").values_list("proposal_round", "status")) == [
        (1, "cancelled"),
        (1, "cancelled"),
        (2, "sent"),
        (2, "sent"),
    ]
    assert timeline_reading.of_kind("moved_back") == [
        "Moved back to review by staff (it was “Approved: cities invited”). New mayor."
    ]


def test_a_rejected_proposal_can_be_reopened_but_not_while_the_pair_has_another_open_one(
    staff_client, staff_user
):
    proposal, _spanish, _chinese = builders.proposal_with_contacts()
    proposal_reject(proposal=proposal, by=staff_user, reason="Not now.")

    reopened = staff_client.post(
        f"/admin/partnerships/proposal/{proposal.pk}/reopen/", {"note": ""}, follow=True
    )
    proposal_reject(proposal=proposal, by=staff_user, reason="Still not.")
    other = Proposal.objects.create(city_a=proposal.city_a, city_b=proposal.city_b, score=2)
    refused = staff_client.post(
        f"/admin/partnerships/proposal/{proposal.pk}/reopen/", {"note": ""}, follow=True
    )

    assert [str(message) for message in reopened.context["messages"]] == [
        "Morelia - Luoyang is awaiting review again."
    ]
    assert [str(message) for message in refused.context["messages"]] == [
        f"This pair already has an open proposal (#{other.pk}): review that one instead."
    ]
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.REJECTED


def test_an_approval_waiting_too_long_expires_with_a_timeline_entry_and_can_be_reopened(
    staff_client, staff_user
):
    proposal, _spanish, chinese = builders.proposal_with_contacts()
    person_consent_withdraw(person=chinese, source="test")
    approved = proposal_approve(proposal=proposal, by=staff_user)
    Proposal.objects.filter(pk=proposal.pk).update(decided_at=approved.decided_at - dt.timedelta(days=61))

    summary = invitations_dispatch()

    proposal.refresh_from_db()
    assert (summary.approvals_expired, proposal.status) == (1, Proposal.Status.EXPIRED)
    assert timeline_reading.of_kind("approval_expired") == [
        "The approval expired: still nobody to invite in Luoyang."
    ]
    page = staff_client.get(change_url(proposal)).content.decode()
    assert f"/admin/partnerships/proposal/{proposal.pk}/reopen/" in page
