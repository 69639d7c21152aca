"""Sending through a real SMTP server: retries, failures staff can see, lost workers, consent at the last moment."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cities.services import person_consent_withdraw
from partnerships.invitations import delivery
from partnerships.invitations.dispatch import invitations_dispatch
from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation

from . import builders
from .mail_sink import html_of, text_of

pytestmark = pytest.mark.django_db


def approve(proposal, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposal_approve(proposal=proposal, by=by)


def dispatch(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return invitations_dispatch()


def test_an_introduction_arrives_through_smtp_with_both_parts_and_a_stable_message_id(
    smtp_sink, staff_user, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()

    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    received = {message["To"]: message for message in smtp_sink.received()}
    assert sorted(received) == sorted([spanish.email, chinese.email])
    chinese_message = received[chinese.email]
    invitation = Invitation.objects.get(person=chinese)
    # A subject longer than a line is folded after "Subject:"; unfolding leaves the space before it.
    assert chinese_message["Subject"].strip() == "[Travel South] 伙伴关系提议：洛阳与莫雷利亚"
    assert chinese_message["Content-Language"] == "zh-hans"
    assert chinese_message["Message-ID"] == (
        f"<invitation-{invitation.pk}.{int(invitation.created_at.timestamp())}@127.0.0.1>"
    )
    assert text_of(chinese_message).startswith("尊敬的 Li Wei：")
    assert "/zh-hans/invitations/answer/" in html_of(chinese_message)
    # Attempts count the mail server's refusals: none here.
    assert (invitation.status, invitation.sent_to, invitation.attempts) == ("sent", chinese.email, 0)


def test_smtp_failing_then_recovering_is_retried_and_sent_once(
    smtp_sink, quick_retries, staff_user, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    smtp_sink.refuse_next = 3  # both first attempts, and the first retry

    approve(proposal, staff_user, django_capture_on_commit_callbacks)
    assert list(Invitation.objects.values_list("status", flat=True)) == ["pending", "pending"]
    dispatch(django_capture_on_commit_callbacks)
    dispatch(django_capture_on_commit_callbacks)

    assert sorted(message["To"] for message in smtp_sink.received()) == sorted([spanish.email, chinese.email])
    assert sorted(Invitation.objects.values_list("status", "attempts", "last_error")) == [
        ("sent", 1, ""),
        ("sent", 2, ""),
    ]
    dispatch(django_capture_on_commit_callbacks)
    assert len(smtp_sink.received()) == 2


def test_smtp_refusing_for_a_day_marks_the_invitation_failed_and_staff_see_it(
    smtp_sink, quick_retries, staff_user, staff_client, django_capture_on_commit_callbacks
):
    proposal, _spanish, _chinese = builders.proposal_with_contacts()
    smtp_sink.refuse_next = 1000

    approve(proposal, staff_user, django_capture_on_commit_callbacks)
    for _ in range(2):
        dispatch(django_capture_on_commit_callbacks)
    still_trying = sorted(Invitation.objects.values_list("status", "attempts"))
    a_day_ago = timezone.now() - dt.timedelta(seconds=24 * 3600)
    Invitation.objects.update(retrying_since=a_day_ago)
    dispatch(django_capture_on_commit_callbacks)

    assert smtp_sink.received() == []
    assert still_trying == [("pending", 3), ("pending", 3)]
    assert sorted(Invitation.objects.values_list("status", "attempts")) == [("failed", 4), ("failed", 4)]
    changelist = staff_client.get(
        reverse("admin:partnerships_invitation_changelist"), {"status__exact": "failed"}
    )
    shown = [(row.person.full_name, row.status, row.attempts) for row in changelist.context["cl"].result_list]
    assert sorted(shown) == [("Ana Morales", "failed", 4), ("Li Wei", "failed", 4)]
    assert "Given up after 24 h of retries. Last error: SMTPDataError: (451" in changelist.content.decode()


def test_staff_resend_every_failed_invitation_at_once_once_the_server_recovers(
    smtp_sink, quick_retries, settings, staff_user, staff_client, django_capture_on_commit_callbacks
):
    settings.INVITATIONS_RETRY_FOR_SECONDS = 0  # the first failure is the last
    proposal, spanish, chinese = builders.proposal_with_contacts()
    smtp_sink.refuse_next = 1000
    approve(proposal, staff_user, django_capture_on_commit_callbacks)
    smtp_sink.refuse_next = 0
    failed = list(Invitation.objects.filter(status="failed").select_related("person"))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:partnerships_invitation_changelist"),
            {"action": "resend", "_selected_action": [row.pk for row in failed], "select_across": "0"},
            follow=True,
        )

    assert len(failed) == 2
    assert sorted(message["To"] for message in smtp_sink.received()) == sorted([spanish.email, chinese.email])
    assert sorted(Invitation.objects.values_list("status", "attempts", "retrying_since")) == [
        ("sent", 0, None),
        ("sent", 0, None),
    ]
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("Queued again: #") and message.count("#") == 2


def test_a_permanent_refusal_fails_at_once(smtp_sink, staff_user, django_capture_on_commit_callbacks):
    proposal, _, _ = builders.proposal_with_contacts()
    smtp_sink.refuse_next = 1000
    smtp_sink.refusal = "550 5.1.1 Mailbox unknown"

    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    assert sorted(Invitation.objects.values_list("status", "attempts")) == [("failed", 1), ("failed", 1)]
    assert "Given up" not in Invitation.objects.first().last_error


def test_a_mail_server_that_is_down_means_a_later_attempt_with_backoff(
    settings, staff_user, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    proposal, _, _ = builders.proposal_with_contacts()
    before = timezone.now()

    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    for invitation in Invitation.objects.all():
        # Not an attempt: the server never answered. The retry window starts.
        assert (invitation.status, invitation.attempts, invitation.last_queued_at) == ("pending", 0, None)
        assert before <= invitation.retrying_since <= timezone.now()
        assert "ConnectionRefusedError" in invitation.last_error
        # The first retry waits between half and all of the 60-second base.
        assert (
            before + dt.timedelta(seconds=30)
            <= invitation.due_at
            <= timezone.now() + dt.timedelta(seconds=60)
        )


def test_retry_delays_grow_with_the_time_failing_up_to_the_cap_with_jitter(settings):
    settings.INVITATIONS_RETRY_BASE_SECONDS = 60
    settings.INVITATIONS_RETRY_MAX_SECONDS = 3600
    ceilings = {0: 60, 45: 60, 100: 100, 1000: 1000, 3000: 3000, 5000: 3600, 80_000: 3600}

    ranges = [(failing, delivery.retry_delay(failing)) for failing in ceilings for _ in range(50)]

    assert all(ceilings[failing] / 2 <= delay <= ceilings[failing] for failing, delay in ranges)
    assert len({delay for _, delay in ranges}) > 300


def test_a_day_of_retries_is_about_thirty_tries_whatever_the_outage(settings):
    settings.INVITATIONS_RETRY_BASE_SECONDS = 60
    settings.INVITATIONS_RETRY_MAX_SECONDS = 3600
    failing, tries = 0.0, 1
    while failing < 24 * 3600:
        failing += delivery.retry_delay(failing)
        tries += 1

    assert 25 <= tries <= 45


def lost_worker(invitation: Invitation, *, handed_over: bool) -> None:
    """Leave ``invitation`` as a worker killed while sending it would: claimed, lease run out."""
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.SENDING,
        lease_id="f" * 32,
        lease_expires_at=now - dt.timedelta(seconds=1),
        handed_over_at=now - dt.timedelta(minutes=11) if handed_over else None,
    )


def grace_runs_out(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_worker_lost_before_the_hand_over_is_replaced_and_the_message_sent_once(
    smtp_sink, staff_user, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks():  # the send tasks are lost with the worker
        proposal_approve(proposal=proposal, by=staff_user)
    lost = Invitation.objects.get(person=spanish)
    lost_worker(lost, handed_over=False)

    graced = dispatch(django_capture_on_commit_callbacks)  # its sender gets a last grace period
    in_grace = Invitation.objects.get(pk=lost.pk)
    grace_runs_out(lost)
    summary = dispatch(django_capture_on_commit_callbacks)

    assert (graced.graced, graced.returned, in_grace.status) == (1, 0, "sending")
    assert (summary.returned, summary.assumed_sent, summary.queued) == (1, 0, 1)
    # Its task's batch also takes the other invitation, due and pending since its task was lost too.
    assert sorted(message["To"] for message in smtp_sink.received()) == sorted([spanish.email, chinese.email])
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == ("sent", 0)  # a lost worker is no attempt


def test_a_worker_lost_after_the_hand_over_counts_as_sent_and_is_never_sent_again(
    smtp_sink, staff_user, django_capture_on_commit_callbacks
):
    proposal, spanish, _ = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks():
        proposal_approve(proposal=proposal, by=staff_user)
    lost = Invitation.objects.get(person=spanish)
    lost_worker(lost, handed_over=True)

    summary = dispatch(django_capture_on_commit_callbacks)

    assert (summary.returned, summary.assumed_sent) == (0, 1)
    assert smtp_sink.received() == []
    lost.refresh_from_db()
    assert (lost.status, lost.sent_at, lost.last_error) == (
        "sent",
        lost.handed_over_at,
        "The worker was lost after the hand-over; assumed delivered.",
    )


def test_a_worker_lost_on_every_try_for_a_day_ends_failed(staff_user, django_capture_on_commit_callbacks):
    proposal, spanish, _ = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks():
        proposal_approve(proposal=proposal, by=staff_user)
    lost = Invitation.objects.get(person=spanish)
    lost_worker(lost, handed_over=False)
    Invitation.objects.filter(pk=lost.pk).update(retrying_since=timezone.now() - dt.timedelta(days=1))

    dispatch(django_capture_on_commit_callbacks)
    grace_runs_out(lost)
    summary = dispatch(django_capture_on_commit_callbacks)

    lost.refresh_from_db()
    assert (summary.failed_lost, lost.status) == (1, "failed")


def test_a_lost_broker_message_is_queued_again_after_the_threshold(
    settings, mailoutbox, staff_user, django_capture_on_commit_callbacks
):
    proposal, _, _ = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks():  # queued, but the broker loses the messages
        proposal_approve(proposal=proposal, by=staff_user)

    too_soon = dispatch(django_capture_on_commit_callbacks)
    Invitation.objects.update(
        last_queued_at=timezone.now() - dt.timedelta(seconds=settings.INVITATIONS_REQUEUE_AFTER_SECONDS + 1)
    )
    later = dispatch(django_capture_on_commit_callbacks)

    assert (too_soon.queued, later.queued) == (0, 2)
    assert len(mailoutbox) == 2


@pytest.mark.django_db(transaction=True)
def test_consent_withdrawn_during_the_smtp_conversation_stops_the_message(
    smtp_sink, staff_user, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()

    def withdraw_while_sending(address: str) -> None:
        if address == chinese.email:
            person_consent_withdraw(person=chinese, source="Phone call to UNOSSC")
        connection.close()

    smtp_sink.on_recipient = withdraw_while_sending
    proposal_approve(proposal=proposal, by=staff_user)

    assert [message["To"] for message in smtp_sink.received()] == [spanish.email]
    withheld = Invitation.objects.get(person=chinese)
    assert (withheld.status, withheld.closed_reason, withheld.handed_over_at) == (
        "cancelled",
        "no_consent",
        None,
    )
    invitations_dispatch()
    assert len(smtp_sink.received()) == 1


@pytest.mark.django_db(transaction=True)
def test_a_slow_worker_overtaken_by_the_beat_job_cannot_send_a_second_copy(smtp_sink, staff_user):
    proposal, spanish, _ = builders.proposal_with_contacts()
    overtaken = []

    def beat_recovers_while_sending(address: str) -> None:
        if address == spanish.email and not overtaken:
            # The lease runs out while this worker talks to the server; the beat job recovers the row
            # and another worker sends it.
            invitation = Invitation.objects.get(person=spanish)
            for _ in range(2):  # the lease, then its grace
                Invitation.objects.filter(pk=invitation.pk).update(
                    lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
                )
                overtaken.append(delivery.invitations_recover_stuck())
            overtaken.append(delivery.invitation_send(invitation_id=invitation.pk))
        connection.close()

    smtp_sink.on_recipient = beat_recovers_while_sending
    proposal_approve(proposal=proposal, by=staff_user)

    assert overtaken == [
        {"assumed_sent": 0, "failed_lost": 0, "returned": 0, "graced": 1},
        {"assumed_sent": 0, "failed_lost": 0, "returned": 1, "graced": 0},
        "sent",
    ]
    assert [message["To"] for message in smtp_sink.received()].count(spanish.email) == 1
    assert Invitation.objects.get(person=spanish).status == "sent"


def test_without_smtp_the_embedded_default_writes_the_emails_to_files(
    settings, tmp_path, staff_user, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    proposal, _, _ = builders.proposal_with_contacts()

    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    written = "".join(path.read_text() for path in tmp_path.iterdir())
    assert len(list(tmp_path.iterdir())) == 2
    assert written.count("Subject: ") == 2
    assert list(Invitation.objects.values_list("status", flat=True)) == ["sent", "sent"]


def test_one_task_sends_a_batch_and_each_message_fares_on_its_own(
    smtp_sink, staff_user, settings, django_capture_on_commit_callbacks
):
    from partnerships.invitations.tasks import send_invitation

    first, spanish, chinese = builders.proposal_with_contacts()
    oaxaca, dunhuang = builders.mexican_city("Oaxaca"), builders.chinese_city("Dunhuang")
    second = builders.proposal(first=oaxaca, second=dunhuang)
    from_oaxaca = builders.contact(city=oaxaca, language="es")
    from_dunhuang = builders.contact(city=dunhuang, language="zh-hans")
    with django_capture_on_commit_callbacks():  # the four send tasks are left in the queue
        proposal_approve(proposal=first, by=staff_user)
        proposal_approve(proposal=second, by=staff_user)
    ids = list(Invitation.objects.order_by("pk").values_list("pk", flat=True))
    person_consent_withdraw(person=from_dunhuang, source="Phone call to UNOSSC")
    Invitation.objects.filter(person=from_dunhuang).update(
        status=Invitation.Status.PENDING
    )  # as if just before
    smtp_sink.refuse_for = {spanish.email}  # the first task's own message

    outcomes = [send_invitation(invitation_id=pk) for pk in ids]

    assert outcomes == ["retry", "not_claimed", "not_claimed", "not_claimed"]
    assert sorted(message["To"] for message in smtp_sink.received()) == sorted(
        [chinese.email, from_oaxaca.email]
    )
    assert [
        (row.person_id, row.status, row.attempts, row.handed_over_at is not None)
        for row in Invitation.objects.order_by("pk")
    ] == [
        (spanish.pk, "pending", 1, False),
        (chinese.pk, "sent", 0, True),
        (from_oaxaca.pk, "sent", 0, True),
        (from_dunhuang.pk, "cancelled", 0, False),
    ]
