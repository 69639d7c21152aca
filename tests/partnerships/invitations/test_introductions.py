"""Approving a proposal invites both cities; their answers form a partnership or close the proposal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from cities.services import person_consent_withdraw
from partnerships.invitations.answers import InvitationClosed, invitation_answer
from partnerships.invitations.dispatch import invitations_dispatch
from partnerships.invitations.tasks import send_invitation
from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation, Partnership, Proposal, TimelineEvent
from tests.partnerships import timeline_reading

from . import builders

pytestmark = pytest.mark.django_db


def approve(proposal, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        proposal_approve(proposal=proposal, by=staff_user)
    return callbacks


def introduction_for(person) -> Invitation:
    return Invitation.objects.get(kind=Invitation.Kind.INTRODUCTION, person=person)


def test_approving_a_proposal_invites_each_consenting_contact_in_their_language(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    builders.contact(city=proposal.city_a, consent=False, full_name="Never Asked")
    builders.contact(city=proposal.city_b, email="", full_name="No Address")

    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    assert sorted((message.to[0], message.subject) for message in mailoutbox) == sorted(
        [
            (spanish.email, "[Travel South] Propuesta de alianza: Morelia y Luoyang"),
            (chinese.email, "[Travel South] 伙伴关系提议：洛阳与莫雷利亚"),
        ]
    )
    assert sorted(Invitation.objects.values_list("person__full_name", "status", "attempts")) == [
        ("Ana Morales", "sent", 0),
        ("Li Wei", "sent", 0),
    ]
    assert [event.kind for event in TimelineEvent.objects.filter(proposal=proposal)] == [
        "approved",
        "invitations_created",
    ]
    assert TimelineEvent.objects.get(kind="approved").actor == staff_user


def test_introduction_email_has_html_and_text_with_answer_and_stop_links(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, spanish, _ = builders.proposal_with_contacts()

    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    message = next(message for message in mailoutbox if message.to == [spanish.email])
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert message.extra_headers["Content-Language"] == "es"
    assert message.body.startswith("Estimado/a Ana Morales:")
    assert "http://127.0.0.1:8000/es/invitations/answer/" in message.body
    assert "http://127.0.0.1:8000/es/invitations/stop/" in message.body
    assert message.body.count("/es/invitations/answer/") == 2
    assert "Aceptar" in html and "Rechazar" in html and "No recibir más correos nuestros" in html


def test_rolled_back_approval_queues_nothing(staff_user, django_capture_on_commit_callbacks):
    proposal, _, _ = builders.proposal_with_contacts()

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        proposal_approve(proposal=proposal, by=staff_user)
        raise RuntimeError("something later in the same request failed")

    assert callbacks == []
    assert Invitation.objects.count() == 0
    assert Proposal.objects.get().status == Proposal.Status.PENDING


def test_committed_approval_queues_exactly_one_task_per_invitation(
    staff_user, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    colleague = builders.contact(city=proposal.city_a, language="es", full_name="Bruno Colega")
    published = []
    real_apply_async = send_invitation.apply_async

    def publish(*args, kwargs, **options):  # the broker's door: record what goes through it
        published.append(kwargs["invitation_id"])
        return real_apply_async(*args, kwargs=kwargs, **options)

    monkeypatch.setattr(send_invitation, "apply_async", publish)

    with django_capture_on_commit_callbacks() as callbacks:
        proposal_approve(proposal=proposal, by=staff_user)

    invitations = {i.person_id: i.pk for i in Invitation.objects.all()}
    assert sorted(invitations) == sorted([spanish.pk, chinese.pk, colleague.pk])
    assert (published, mailoutbox) == ([], [])

    for callback in callbacks:
        callback()

    assert sorted(published) == sorted(invitations.values())
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [spanish.email, chinese.email, colleague.email]
    )


def test_approving_twice_is_refused_and_invites_nobody_again(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, _, _ = builders.proposal_with_contacts()
    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError):
        approve(proposal, staff_user, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 2
    assert Invitation.objects.count() == 2


def test_a_city_without_consenting_contact_makes_the_approval_wait_and_nobody_is_invited(
    staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    morelia, luoyang = builders.mexican_city(), builders.chinese_city()
    builders.contact(city=morelia, language="es")
    builders.contact(city=luoyang, consent=False)
    proposal = builders.proposal(first=morelia, second=luoyang)

    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WAITING
    assert timeline_reading.of_kind("waiting_for_contact") == [
        "Approved, waiting for a contact of Luoyang: nobody there has agreed to be contacted yet. "
        "The cities are invited as soon as someone does."
    ]
    assert (Invitation.objects.count(), mailoutbox) == (0, [])


def test_running_the_send_task_twice_sends_once(staff_user, mailoutbox, django_capture_on_commit_callbacks):
    from partnerships.invitations.tasks import send_invitation

    proposal, spanish, chinese = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks():
        proposal_approve(proposal=proposal, by=staff_user)
    invitation = introduction_for(spanish)

    outcomes = [send_invitation(invitation_id=invitation.pk), send_invitation(invitation_id=invitation.pk)]

    assert outcomes == ["sent", "not_claimed"]
    # The first task's batch took the other city's introduction too (its own task was not run).
    assert sorted(message.to for message in mailoutbox) == sorted([[spanish.email], [chinese.email]])


def test_both_cities_accepting_forms_the_partnership_and_tells_both(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    approve(proposal, staff_user, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invitation_answer(invitation=introduction_for(spanish), person=spanish, accept=True)
    assert Proposal.objects.get().status == Proposal.Status.APPROVED
    assert not Partnership.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_answer(invitation=introduction_for(chinese), person=chinese, accept=True)

    partnership = Partnership.objects.get()
    assert Proposal.objects.get().status == Proposal.Status.ACCEPTED
    assert (partnership.city_a, partnership.city_b) == (proposal.city_a, proposal.city_b)
    assert list(partnership.themes.all()) == list(proposal.themes.all())
    assert sorted((message.to[0], message.subject) for message in mailoutbox) == sorted(
        [
            (spanish.email, "[Travel South] Morelia y Luoyang ya son socias"),
            (chinese.email, "[Travel South] 洛阳与莫雷利亚已结为伙伴"),
        ]
    )
    told_spanish = next(message for message in mailoutbox if message.to == [spanish.email])
    assert f"Li Wei ({chinese.email})" in told_spanish.body
    check_ins = Invitation.objects.filter(kind=Invitation.Kind.CHECK_IN).order_by("person_id", "due_at")
    assert [
        (c.person_id, c.check_in_after_days, c.due_at - partnership.formed_at, c.status) for c in check_ins
    ] == [
        (person.pk, days, dt.timedelta(days=days), "pending")
        for person in sorted([spanish, chinese], key=lambda p: p.pk)
        for days in (30, 90, 180)
    ]
    assert sorted(partnership.check_ins.values_list("city__name", "after_days")) == [
        ("Luoyang", 30),
        ("Luoyang", 90),
        ("Luoyang", 180),
        ("Morelia", 30),
        ("Morelia", 90),
        ("Morelia", 180),
    ]
    assert [e.kind for e in TimelineEvent.objects.filter(proposal=proposal)] == [
        "approved",
        "invitations_created",
        "city_accepted",
        "city_accepted",
        "partnership_formed",
    ]


def test_a_colleague_answering_closes_the_other_invitations_of_the_city(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, spanish, _ = builders.proposal_with_contacts()
    colleague = builders.contact(city=proposal.city_a, language="es", full_name="Bruno Colega")
    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    invitation_answer(invitation=introduction_for(spanish), person=spanish, accept=True)

    closed = introduction_for(colleague)
    assert (closed.status, closed.closed_reason) == ("cancelled", "city_answered")
    with pytest.raises(InvitationClosed) as refused:
        invitation_answer(invitation=closed, person=colleague, accept=False)
    assert refused.value.reason == "city_answered"


def test_a_city_declining_closes_the_proposal_and_politely_tells_the_other(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    approve(proposal, staff_user, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invitation_answer(
            invitation=introduction_for(chinese),
            person=chinese,
            accept=False,
            reason="No budget for travel this year.",
        )

    assert Proposal.objects.get().status == Proposal.Status.DECLINED
    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        (spanish.email, "[Travel South] Acerca de la alianza propuesta con Luoyang")
    ]
    assert "No budget" not in mailoutbox[0].body
    assert "no puede asumirla en este momento" in mailoutbox[0].body
    assert timeline_reading.who_and_sentence(TimelineEvent.objects.filter(kind="city_declined")) == [
        ("Li Wei (Luoyang)", "Luoyang declined: No budget for travel this year.")
    ]
    assert introduction_for(spanish).status == "cancelled"
    with pytest.raises(InvitationClosed):
        invitation_answer(invitation=introduction_for(spanish), person=spanish, accept=True)


def test_the_per_proposal_admin_shows_who_was_invited_and_who_answered(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    proposal, spanish, _ = builders.proposal_with_contacts()
    approve(proposal, staff_user, django_capture_on_commit_callbacks)
    invitation_answer(invitation=introduction_for(spanish), person=spanish, accept=True)

    response = staff_client.get(reverse("admin:partnerships_proposal_change", args=[proposal.pk]))

    inline = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "invitations")
    rows = [(form.original.person.full_name, form.original.status, form.original.answer) for form in inline]
    assert rows == [("Ana Morales", "answered", "accepted"), ("Li Wei", "sent", "")]


def test_the_admin_approve_action_invites_the_cities(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:partnerships_proposal_changelist"),
            {"action": "approve_and_invite", "_selected_action": [proposal.pk]},
            follow=True,
        )

    assert [str(m) for m in response.context["messages"]] == [
        f"Approved, and their cities invited: {proposal}."
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([spanish.email, chinese.email])


def test_consent_withdrawn_between_approval_and_sending_sends_nothing_to_that_person(
    staff_user, client, mailoutbox, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks() as queued:
        proposal_approve(proposal=proposal, by=staff_user)

    # Chinese contact withdraws (through the plain consent service, which does not cancel anything):
    # the send itself re-checks consent.
    person_consent_withdraw(person=chinese, source="Phone call to UNOSSC")
    for send in queued:
        send()

    assert [message.to for message in mailoutbox] == [[spanish.email]]
    withheld = introduction_for(chinese)
    assert (withheld.status, withheld.closed_reason, withheld.sent_at) == ("cancelled", "no_consent", None)


def test_dispatch_with_nothing_due_does_nothing(staff_user, mailoutbox, django_capture_on_commit_callbacks):
    proposal, _, _ = builders.proposal_with_contacts()
    approve(proposal, staff_user, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        summary = invitations_dispatch()

    assert summary.as_dict() == {
        "assumed_sent": 0,
        "failed_lost": 0,
        "returned": 0,
        "graced": 0,
        "surveys_answered": 0,
        "survey_invitations": 0,
        "expired": 0,
        "reminders": 0,
        "approvals_expired": 0,
        "staff_digests": 0,
        "queued": 0,
    }
    assert len(mailoutbox) == 2
