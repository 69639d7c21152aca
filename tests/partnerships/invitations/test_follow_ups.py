"""What the beat job sends over time: reminders and expiry, survey invitations, check-ins; and training invitations."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from partnerships.invitations.answers import invitation_answer
from partnerships.invitations.dispatch import invitations_dispatch
from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation, InvitationSettings, Partnership, TimelineEvent, TrainingWorkshop
from surveys.links import PersonalLinkClaims, read_personal_link_token
from surveys.models import Response
from tests.partnerships import timeline_reading

from . import builders

pytestmark = pytest.mark.django_db


def days_pass(days: int) -> None:
    """Move every invitation ``days`` into the past, as if that time had gone by."""
    shift = dt.timedelta(days=days)
    Invitation.objects.update(
        created_at=F("created_at") - shift,
        due_at=F("due_at") - shift,
        sent_at=F("sent_at") - shift,
        answered_at=F("answered_at") - shift,
    )
    Partnership.objects.update(formed_at=F("formed_at") - shift)


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return invitations_dispatch()

    return run


@pytest.fixture
def invited(staff_user, django_capture_on_commit_callbacks):
    InvitationSettings.objects.create(pk=1, reminder_after_days=7, max_reminders=2, expire_after_days=5)
    proposal, spanish, chinese = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_approve(proposal=proposal, by=staff_user)
    return proposal, spanish, chinese


def survey_link_claims(body: str) -> PersonalLinkClaims:
    """The survey and person named by the one personal survey link in an e-mail."""
    (token,) = re.findall(r"http://127\.0\.0\.1:8000/[a-z-]+/surveys/answer/(\S+)/", body)
    return read_personal_link_token(token)


def subjects_to(mailoutbox, person) -> list[str]:
    return [message.subject for message in mailoutbox if message.to == [person.email]]


def test_an_unanswered_introduction_is_reminded_after_the_staff_set_days(invited, mailoutbox, dispatch):
    _, spanish, chinese = invited
    invitation_answer(
        invitation=Invitation.objects.get(person=chinese, kind="introduction"), person=chinese, accept=True
    )

    days_pass(6)
    too_early = dispatch()
    days_pass(1)
    due = dispatch()

    assert (too_early.reminders, due.reminders) == (0, 1)
    assert subjects_to(mailoutbox, spanish) == [
        "[Travel South] Propuesta de alianza: Morelia y Luoyang",
        "[Travel South] Recordatorio: Propuesta de alianza: Morelia y Luoyang",
    ]
    assert subjects_to(mailoutbox, chinese) == ["[Travel South] 伙伴关系提议：洛阳与莫雷利亚"]
    reminder = Invitation.objects.get(kind="reminder")
    assert (reminder.person, reminder.reminder_number, reminder.status) == (spanish, 1, "sent")
    assert "Aún no hemos recibido su respuesta" in mailoutbox[-1].body


def test_a_reminders_accept_link_answers_the_original_invitation(client, invited, mailoutbox, dispatch):
    _, spanish, _ = invited
    days_pass(7)
    dispatch()
    reminder = [message for message in mailoutbox if message.to == [spanish.email]][-1]
    accept = re.findall(r"http://127\.0\.0\.1:8000(/es/invitations/answer/\S+/)", reminder.body)[0]

    client.post(accept)

    original = Invitation.objects.get(person=spanish, kind="introduction")
    assert (original.status, original.answer) == ("answered", "accepted")


def test_after_the_last_reminder_the_invitation_expires_and_staff_see_it(
    client, invited, mailoutbox, dispatch
):
    _proposal, spanish, _ = invited
    first_accept = re.findall(r"(/es/invitations/answer/\S+/)", mailoutbox[0].body)[0]

    for _ in range(2):
        days_pass(7)
        dispatch()
    days_pass(4)
    not_yet = dispatch()
    days_pass(1)
    expired = dispatch()
    days_pass(30)
    afterwards = dispatch()

    assert (not_yet.expired, expired.expired, afterwards.reminders) == (0, 2, 0)
    assert subjects_to(mailoutbox, spanish) == [
        "[Travel South] Propuesta de alianza: Morelia y Luoyang",
        "[Travel South] Recordatorio: Propuesta de alianza: Morelia y Luoyang",
        "[Travel South] Recordatorio: Propuesta de alianza: Morelia y Luoyang",
    ]
    assert list(
        Invitation.objects.filter(kind="introduction")
        .order_by("person__full_name")
        .values_list("status", flat=True)
    ) == ["expired", "expired"]
    assert timeline_reading.of_kind("invitation_expired") == [
        "Ana Morales (Morelia) did not answer; the invitation expired.",
        "Li Wei (Luoyang) did not answer; the invitation expired.",
    ]
    assert client.post(first_accept).status_code == 410


def test_no_reminders_when_staff_set_none(invited, mailoutbox, dispatch):
    InvitationSettings.objects.filter(pk=1).update(max_reminders=0)

    days_pass(30)
    summary = dispatch()

    assert (summary.reminders, summary.expired, len(mailoutbox)) == (0, 2, 2)


def test_a_survey_opening_invites_each_consenting_invitee_once_with_their_personal_link(mailoutbox, dispatch):
    morelia, luoyang = builders.mexican_city(), builders.chinese_city()
    open_survey = builders.survey()
    spanish = builders.contact(city=morelia, language="es", full_name="Ana Morales")
    chinese = builders.contact(city=luoyang, language="zh-hans", full_name="Li Wei")
    silent = builders.contact(city=morelia, consent=False, full_name="Never Asked")
    for person in (spanish, chinese, silent):
        builders.invitee(survey_=open_survey, person=person)
    later = builders.survey(opens_at=timezone.now() + dt.timedelta(days=1))
    builders.invitee(survey_=later, person=spanish)
    closed = builders.survey(
        opens_at=timezone.now() - dt.timedelta(days=30), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    builders.invitee(survey_=closed, person=chinese)

    first = dispatch()
    second = dispatch()

    assert (first.survey_invitations, second.survey_invitations) == (2, 0)
    by_person = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_person) == sorted([spanish.email, chinese.email])
    assert by_person[spanish.email].subject == "[Travel South] Encuesta: Después del seminario web"
    assert by_person[chinese.email].subject == "[Travel South] 问卷：研讨会之后"
    assert survey_link_claims(by_person[spanish.email].body) == PersonalLinkClaims(
        survey_id=open_survey.pk, person_id=spanish.pk
    )
    assert survey_link_claims(by_person[chinese.email].body) == PersonalLinkClaims(
        survey_id=open_survey.pk, person_id=chinese.pk
    )


def test_a_survey_invitee_who_answered_gets_no_reminder_and_the_others_expire_at_closing(
    mailoutbox, dispatch
):
    morelia = builders.mexican_city()
    survey = builders.survey(closes_at=timezone.now() + dt.timedelta(days=20))
    answered = builders.contact(city=morelia, language="es", full_name="Ana Morales")
    silent = builders.contact(city=morelia, language="es", full_name="Bruno Callado")
    for person in (answered, silent):
        builders.invitee(survey_=survey, person=person)
    dispatch()
    Response.objects.create(survey=survey, respondent=answered, city=morelia, submitted_at=timezone.now())

    days_pass(7)
    reminded = dispatch()
    survey.closes_at = timezone.now() - dt.timedelta(seconds=1)
    survey.save(update_fields=["closes_at"])
    closing = dispatch()

    assert (reminded.surveys_answered, reminded.reminders, closing.expired) == (1, 1, 1)
    assert subjects_to(mailoutbox, silent) == [
        "[Travel South] Encuesta: Después del seminario web",
        "[Travel South] Recordatorio: Encuesta: Después del seminario web",
    ]
    assert sorted(
        Invitation.objects.filter(kind="survey").values_list("person__full_name", "status", "answer")
    ) == [("Ana Morales", "answered", "responded"), ("Bruno Callado", "expired", "")]


def test_staff_invite_those_who_asked_for_training_in_their_language(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    survey = builders.survey()
    morelia = builders.mexican_city()
    wants = builders.contact(city=morelia, language="es", full_name="Ana Morales")
    wants_no_consent = builders.contact(city=morelia, consent=False, full_name="Never Asked")
    does_not_want = builders.contact(city=morelia, full_name="Not Interested")
    for person, yes in ((wants, True), (wants_no_consent, True), (does_not_want, False)):
        builders.training_answer(survey_=survey, person=person, yes=yes)
    workshop = TrainingWorkshop.objects.create(
        title="Digital tools for heritage tourism",
        title_es="Herramientas digitales para el turismo patrimonial",
        description="Two mornings with practitioners.",
        starts_at=timezone.now() + dt.timedelta(days=40),
        location="Online (Zoom)",
        registration_url="https://training.example.org/register",
    )

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(
                reverse("admin:partnerships_trainingworkshop_changelist"),
                {"action": "invite_interested", "_selected_action": [workshop.pk]},
                follow=True,
            )

    assert [str(message) for message in response.context["messages"]] == [f"{workshop}: 0 people invited."]
    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        (wants.email, "[Travel South] Invitación: Herramientas digitales para el turismo patrimonial")
    ]
    assert "https://training.example.org/register" in mailoutbox[0].body
    assert "Online (Zoom)" in mailoutbox[0].body


def test_the_training_command_invites_the_same_people(mailoutbox, django_capture_on_commit_callbacks, capsys):
    survey = builders.survey()
    wants = builders.contact(city=builders.mexican_city(), full_name="Ana Morales")
    builders.training_answer(survey_=survey, person=wants, yes=True)
    workshop = TrainingWorkshop.objects.create(
        title="Heritage tourism", description="One day.", starts_at=timezone.now() + dt.timedelta(days=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite_to_training", str(workshop.pk))

    assert capsys.readouterr().out == f"{workshop}: 1 people invited.\n"
    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        (wants.email, "[Travel South] Invitation: Heritage tourism")
    ]


def form_partnership(proposal, spanish, chinese, django_capture_on_commit_callbacks) -> Partnership:
    with django_capture_on_commit_callbacks(execute=True):
        for person in (spanish, chinese):
            invitation = Invitation.objects.get(person=person, kind="introduction")
            invitation_answer(invitation=invitation, person=person, accept=True)
    return Partnership.objects.get()


def test_check_ins_go_out_30_90_and_180_days_after_forming(
    invited, mailoutbox, dispatch, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = invited
    InvitationSettings.objects.filter(pk=1).update(max_reminders=0)
    form_partnership(proposal, spanish, chinese, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    days_pass(29)
    dispatch()
    days_pass(1)
    first = dispatch()
    days_pass(60)
    second = dispatch()
    days_pass(90)
    third = dispatch()

    assert (first.queued, second.queued, second.expired, third.queued, third.expired) == (2, 2, 2, 2, 2)
    to_spanish = [message.body for message in mailoutbox if message.to == [spanish.email]]
    assert (
        subjects_to(mailoutbox, spanish)
        == ["[Travel South] ¿Cómo va la alianza entre Morelia y Luoyang?"] * 3
    )
    assert ["hace 30 días" in body for body in to_spanish] == [True, False, False]
    assert ["hace 90 días" in body for body in to_spanish] == [False, True, False]
    assert ["hace 180 días" in body for body in to_spanish] == [False, False, True]
    assert sorted(
        Invitation.objects.filter(kind="check_in").values_list("check_in_after_days", "status")
    ) == [(30, "expired"), (30, "expired"), (90, "expired"), (90, "expired"), (180, "sent"), (180, "sent")]


def test_a_check_in_answered_through_its_link_reaches_the_partnership_timeline(
    client, invited, mailoutbox, dispatch, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = invited
    partnership = form_partnership(proposal, spanish, chinese, django_capture_on_commit_callbacks)
    days_pass(30)
    dispatch()
    check_in = re.findall(r"(/es/invitations/check-in/\S+/)", mailoutbox[-2].body + mailoutbox[-1].body)[0]

    page = client.get(check_in)
    client.post(
        check_in,
        {
            "still_active": "yes",
            "what_happened": "A joint tourism fair; an MoU drafted",
            "help_needed": "Funding",
        },
    )
    again = client.post(check_in, {"still_active": "no"})

    assert "¿Cómo va la alianza entre Morelia y Luoyang?" in page.content.decode()
    assert again.status_code == 409
    answered_check_in = partnership.check_ins.get(city=spanish.city, after_days=30)
    assert (
        answered_check_in.still_active,
        answered_check_in.what_happened,
        answered_check_in.help_needed,
        answered_check_in.answered_by,
    ) == (True, "A joint tourism fair; an MoU drafted", "Funding", spanish)
    event = TimelineEvent.objects.get(partnership=partnership, kind="check_in")
    assert timeline_reading.who_and_sentence([event]) == [
        (
            "Ana Morales (Morelia)",
            "Check-in after 30 days: still active. A joint tourism fair; an MoU drafted Help needed: Funding",
        )
    ]
    answered = Invitation.objects.get(kind="check_in", person=spanish, check_in_after_days=30)
    assert (answered.status, answered.answer_data["what_happened"]) == (
        "answered",
        "A joint tourism fair; an MoU drafted",
    )


def test_no_check_in_for_a_closed_partnership(
    invited, mailoutbox, dispatch, django_capture_on_commit_callbacks
):
    proposal, spanish, chinese = invited
    partnership = form_partnership(proposal, spanish, chinese, django_capture_on_commit_callbacks)
    Partnership.objects.filter(pk=partnership.pk).update(status=Partnership.Status.CLOSED)
    mailoutbox.clear()

    days_pass(30)
    dispatch()

    assert mailoutbox == []
    assert sorted(
        Invitation.objects.filter(kind="check_in", check_in_after_days=30).values_list(
            "status", "closed_reason"
        )
    ) == [("cancelled", "partnership_closed"), ("cancelled", "partnership_closed")]
