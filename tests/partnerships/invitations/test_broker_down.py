"""With the broker down (Celery publishing for real to a Redis address where nothing listens), writes
still commit and the user sees them succeed; what could not be queued is picked up later."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cities.models import CityMembership
from cities.services import membership_approve, membership_request
from partnerships.invitations.dispatch import invitations_dispatch
from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation, Proposal, TimelineEvent
from tests import factories
from travelsouth.celery import app as celery_app

from . import builders

pytestmark = pytest.mark.django_db


def ten_proposals_with_contacts() -> list[Proposal]:
    proposals = []
    for number in range(10):
        first = builders.mexican_city(f"Ciudad {number}")
        second = builders.chinese_city(f"City {number}")
        builders.contact(city=first, language="es")
        builders.contact(city=second, language="zh-hans")
        proposals.append(builders.proposal(first=first, second=second))
    return proposals


def broker_back() -> None:
    celery_app.conf.task_always_eager = True  # tasks run here again, as if the broker had come back


def test_approve_and_invite_on_ten_proposals_with_the_broker_down_approves_all_of_them(
    staff_client, broker_down, mailoutbox, django_capture_on_commit_callbacks
):
    proposals = ten_proposals_with_contacts()
    started = time.monotonic()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:partnerships_proposal_changelist"),
            {"action": "approve_and_invite", "_selected_action": [p.pk for p in proposals]},
            follow=True,
        )
    took = time.monotonic() - started

    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Approved, and their cities invited: "
        + "; ".join(str(p) for p in Proposal.objects.order_by("-score", "id"))
        + "."
    ]
    assert set(Proposal.objects.values_list("status", flat=True)) == {"approved"}
    # All twenty written, none queued: each is left for the beat job's next tick, not its re-queue delay.
    assert set(Invitation.objects.values_list("status", "last_queued_at")) == {("pending", None)}
    assert Invitation.objects.count() == 20
    assert mailoutbox == []
    assert took < 10  # one wait for the dead broker, not twenty

    broker_back()
    with django_capture_on_commit_callbacks(execute=True):
        summary = invitations_dispatch()

    assert summary.queued == 20
    assert len(mailoutbox) == 20
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}


def decline_path(message) -> str:
    paths = re.findall(rf"{re.escape(settings.SITE_URL)}(/\S*/invitations/answer/\S+/)", message.body)
    return paths[1]  # accept, then decline


def test_a_city_declining_with_the_broker_down_sees_its_answer_recorded(
    client, staff_user, mailoutbox, django_capture_on_commit_callbacks, request
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_approve(proposal=proposal, by=staff_user)
    decline = decline_path(next(m for m in mailoutbox if m.to == [chinese.email]))
    request.getfixturevalue("broker_down")

    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(decline, {"reason": "没有预算。"}, follow=True)
    again = client.post(decline, {"reason": "没有预算。"})

    assert answered.status_code == 200
    assert [str(message) for message in answered.context["messages"]] == ["谢谢：您的答复已记录。"]
    assert Proposal.objects.get().status == Proposal.Status.DECLINED
    assert TimelineEvent.objects.get(kind="city_declined").data["reason"] == "没有预算。"
    notice = Invitation.objects.get(kind=Invitation.Kind.PROPOSAL_DECLINED)
    assert (notice.person, notice.status, notice.last_queued_at) == (spanish, "pending", None)
    assert again.status_code == 409  # a link works once: the first answer stood

    broker_back()
    with django_capture_on_commit_callbacks(execute=True):
        invitations_dispatch()
    assert [m.to for m in mailoutbox[2:]] == [[spanish.email]]


def test_a_membership_decided_with_the_broker_down_still_tells_the_official(
    staff_user, broker_down, django_capture_on_commit_callbacks
):
    membership = membership_request(
        user=factories.user(email="ana@morelia.example"),
        city=factories.city(name="Morelia"),
        full_name="Ana Morales",
        role="Director",
    )

    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(membership=membership, by=staff_user)

    membership.refresh_from_db()
    assert membership.status == CityMembership.Status.APPROVED
    decision = Invitation.objects.get(kind=Invitation.Kind.MEMBERSHIP_DECISION)
    assert (decision.status, decision.last_queued_at) == ("pending", None)  # left for the next tick
    assert mail.outbox == []

    broker_back()
    with django_capture_on_commit_callbacks(execute=True):
        invitations_dispatch()
    assert [message.to for message in mail.outbox] == [["ana@morelia.example"]]
