"""The invitations admin: one list staff can filter, act on, and that stays cheap with many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation, InvitationSettings, TimelineEvent

from . import builders

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:partnerships_invitation_changelist"


def approved_proposals(count: int, staff_user, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(count):
            proposal, _, _ = builders.proposal_with_contacts() if number == 0 else _another_pair(number)
            proposal_approve(proposal=proposal, by=staff_user)


def _another_pair(number: int):
    first, second = builders.mexican_city(f"Ciudad {number}"), builders.chinese_city(f"City {number}")
    spanish = builders.contact(city=first, language="es")
    chinese = builders.contact(city=second, language="zh-hans")
    return builders.proposal(first=first, second=second), spanish, chinese


def changelist_queries(staff_client, **filters) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse(CHANGELIST), filters)
    assert response.status_code == 200
    return len(queries)


def test_the_invitation_list_costs_the_same_queries_for_one_row_and_many(
    staff_client, staff_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    approved_proposals(1, staff_user, django_capture_on_commit_callbacks)
    one = changelist_queries(staff_client)
    approved_proposals(15, staff_user, django_capture_on_commit_callbacks)

    with django_assert_max_num_queries(one):
        response = staff_client.get(reverse(CHANGELIST))

    assert response.context["cl"].result_count == 32
    assert one <= 10


def test_staff_filter_invitations_by_status_and_kind(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    approved_proposals(1, staff_user, django_capture_on_commit_callbacks)
    Invitation.objects.filter(person__full_name="Li Wei").update(status=Invitation.Status.FAILED)

    failed = staff_client.get(reverse(CHANGELIST), {"status__exact": "failed", "kind__exact": "introduction"})

    assert [row.person.full_name for row in failed.context["cl"].result_list] == ["Li Wei"]


def test_staff_cancel_an_invitation_not_yet_sent(
    staff_client, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, _spanish, chinese = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks():  # approved, not yet sent
        proposal_approve(proposal=proposal, by=staff_user)
    waiting = Invitation.objects.get(person=chinese)

    response = staff_client.post(
        reverse(CHANGELIST), {"action": "cancel", "_selected_action": [waiting.pk]}, follow=True
    )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.closed_reason) == ("cancelled", "staff")
    assert [str(message) for message in response.context["messages"]] == [f"Cancelled: #{waiting.pk} Li Wei."]

    # Staff send it again: both actions are in the proposal's timeline, with who did them.
    with django_capture_on_commit_callbacks():
        staff_client.post(reverse(CHANGELIST), {"action": "resend", "_selected_action": [waiting.pk]})
    events = TimelineEvent.objects.filter(proposal=proposal, kind__startswith="invitation_")
    assert [(event.kind, event.actor, event.data["person"]) for event in events] == [
        ("invitation_cancelled", staff_user, chinese.full_name),
        ("invitation_resent", staff_user, chinese.full_name),
    ]
    page = staff_client.get(
        reverse("admin:partnerships_proposal_change", args=[proposal.pk])
    ).content.decode()
    assert f"Invitation to {chinese.full_name} cancelled by {staff_user.get_username()}." in page
    assert "Invitation sent again" in page  # the kind's label


def test_a_sent_invitation_is_neither_cancelled_nor_resent(
    staff_client, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    approved_proposals(1, staff_user, django_capture_on_commit_callbacks)
    sent = list(Invitation.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        resend = staff_client.post(
            reverse(CHANGELIST), {"action": "resend", "_selected_action": sent}, follow=True
        )
        cancel = staff_client.post(
            reverse(CHANGELIST), {"action": "cancel", "_selected_action": sent}, follow=True
        )

    rows = "; ".join(f"#{row.pk} {row.person}" for row in Invitation.objects.order_by("-created_at", "-id"))
    assert [str(m) for m in resend.context["messages"]] == [
        f"Left as they are (not failed or cancelled): {rows}."
    ]
    assert [str(m) for m in cancel.context["messages"]] == [
        f"Not cancelled (already handed to the mail server, or closed): {rows}."
    ]
    assert list(Invitation.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert len(mailoutbox) == 2


def test_an_invitation_page_shows_everything_and_changes_nothing(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    approved_proposals(1, staff_user, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(person__full_name="Ana Morales")

    page = staff_client.get(reverse("admin:partnerships_invitation_change", args=[invitation.pk]))

    assert page.status_code == 200
    assert set(page.context["adminform"].form.fields) == set()
    assert "Ana Morales" in page.content.decode()


def test_invitation_settings_can_be_added_once_and_not_deleted(staff_client):
    add = reverse("admin:partnerships_invitationsettings_add")

    first = staff_client.post(
        add,
        {
            "reminder_after_days": 10,
            "max_reminders": 1,
            "expire_after_days": 14,
            "answer_link_valid_days": 45,
            "first_check_in_days": 30,
            "second_check_in_days": 90,
            "third_check_in_days": 180,
            "waiting_approval_expire_days": 60,
            "unanswered_after_days": 14,
            "staff_digest_every_hours": 24,
        },
    )
    second = staff_client.get(add)

    assert first.status_code == 302
    assert list(InvitationSettings.objects.values_list("pk", "reminder_after_days", "max_reminders")) == [
        (1, 10, 1)
    ]
    assert second.status_code == 403
    assert (
        staff_client.get(reverse("admin:partnerships_invitationsettings_delete", args=[1])).status_code == 403
    )
