"""Links in e-mails: signed, expiring, bound to one invitation and one person; GET shows, POST acts, once."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone

from cities.models import Person
from partnerships.invitations import links
from partnerships.lifecycle import proposal_approve
from partnerships.models import Invitation, Proposal
from tests.partnerships import timeline_reading

from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(staff_user, mailoutbox, django_capture_on_commit_callbacks):
    """An approved proposal whose two contacts got their introduction e-mails."""
    proposal, spanish, chinese = builders.proposal_with_contacts()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_approve(proposal=proposal, by=staff_user)
    return proposal, spanish, chinese


def link_paths(mailoutbox, person: Person, kind: str) -> list[str]:
    """The paths of the links of ``kind`` (answer, stop, check-in) in the last e-mail to ``person``."""
    message = [m for m in mailoutbox if m.to == [person.email]][-1]
    return re.findall(rf"{re.escape(settings.SITE_URL)}(/\S*/invitations/{kind}/\S+/)", message.body)


def accept_and_decline_paths(mailoutbox, person: Person) -> tuple[str, str]:
    accept, decline = link_paths(mailoutbox, person, "answer")
    return accept, decline


def test_opening_an_accept_link_only_shows_a_confirmation_page(client, invited, mailoutbox):
    _, spanish, _ = invited
    accept, _ = accept_and_decline_paths(mailoutbox, spanish)

    response = client.get(accept)

    assert response.status_code == 200
    assert "Confirme que Morelia acepta la alianza propuesta con Luoyang." in response.content.decode()
    assert Invitation.objects.get(person=spanish).status == "sent"


def test_posting_the_accept_link_records_the_answer_once(client, invited, mailoutbox):
    _, spanish, _ = invited
    accept, _ = accept_and_decline_paths(mailoutbox, spanish)

    response = client.post(accept, follow=True)

    invitation = Invitation.objects.get(person=spanish)
    assert (invitation.status, invitation.answer) == ("answered", "accepted")
    page = response.content.decode()
    assert "Gracias: su respuesta ha quedado registrada." in page
    assert "Morelia aceptó esta propuesta el" in page


def test_a_link_used_a_second_time_changes_nothing_and_says_so(client, invited, mailoutbox):
    _, spanish, _ = invited
    accept, decline = accept_and_decline_paths(mailoutbox, spanish)
    client.post(accept)

    again = client.post(decline, {"reason": "Changed our mind"})

    assert again.status_code == 409
    assert "Ya respondida" in again.content.decode()
    invitation = Invitation.objects.get(person=spanish)
    assert (invitation.answer, invitation.answer_note) == ("accepted", "")
    assert Proposal.objects.get().status == Proposal.Status.APPROVED


def test_a_tampered_link_gives_a_clear_page(client, invited, mailoutbox):
    _, spanish, _ = invited
    accept, _ = accept_and_decline_paths(mailoutbox, spanish)
    token = accept.rstrip("/").rsplit("/", 1)[1]
    tampered = accept.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))

    get = client.get(tampered)
    post = client.post(tampered)

    assert (get.status_code, post.status_code) == (400, 400)
    assert "Este enlace no funciona" in post.content.decode()
    assert Invitation.objects.get(person=spanish).status == "sent"


def test_an_expired_link_gives_a_clear_page(client, invited):
    _, spanish, _ = invited
    invitation = Invitation.objects.get(person=spanish)
    token = links.answer_token(
        invitation_id=invitation.pk,
        person_id=spanish.pk,
        action=links.ACCEPT,
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )

    response = client.post(f"/es/invitations/answer/{token}/")

    assert response.status_code == 410
    assert "Este enlace ha caducado" in response.content.decode()
    assert Invitation.objects.get(person=spanish).status == "sent"


def test_a_link_naming_another_person_gives_a_clear_page(client, invited):
    _, spanish, chinese = invited
    their_invitation = Invitation.objects.get(person=chinese)
    token = links.answer_token(
        invitation_id=their_invitation.pk,
        person_id=spanish.pk,
        action=links.DECLINE,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )

    response = client.post(f"/es/invitations/answer/{token}/")

    assert response.status_code == 403
    assert "Este enlace se envió a otra persona" in response.content.decode()
    assert Invitation.objects.get(person=chinese).status == "sent"


def test_a_link_to_an_unknown_invitation_gives_a_clear_page(client, invited):
    token = links.answer_token(
        invitation_id=999_999,
        person_id=1,
        action=links.ACCEPT,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )

    response = client.get(f"/invitations/answer/{token}/")

    assert response.status_code == 404
    assert "Invitation not found" in response.content.decode()


def test_a_check_in_link_does_not_answer_a_proposal(client, invited):
    _, spanish, _ = invited
    invitation = Invitation.objects.get(person=spanish)
    token = links.answer_token(
        invitation_id=invitation.pk,
        person_id=spanish.pk,
        action=links.CHECK_IN,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )

    response = client.post(f"/invitations/answer/{token}/")

    assert response.status_code == 400
    assert Invitation.objects.get(person=spanish).status == "sent"


def test_an_expired_invitation_no_longer_takes_an_answer(client, invited, mailoutbox):
    _, spanish, _ = invited
    accept, _ = accept_and_decline_paths(mailoutbox, spanish)
    Invitation.objects.filter(person=spanish).update(status=Invitation.Status.EXPIRED)

    get = client.get(accept)
    post = client.post(accept)

    assert (get.status_code, post.status_code) == (410, 410)
    assert Invitation.objects.get(person=spanish).answer == ""


def test_declining_through_the_page_gives_staff_the_reason(client, invited, mailoutbox):
    _, _, chinese = invited
    _, decline = accept_and_decline_paths(mailoutbox, chinese)

    page = client.get(decline)
    client.post(decline, {"reason": "我们今年没有差旅预算。"})

    assert "请确认洛阳婉拒与莫雷利亚建立伙伴关系的提议。" in page.content.decode()
    assert Proposal.objects.get().status == Proposal.Status.DECLINED
    assert timeline_reading.of_kind("city_declined") == ["Luoyang declined: 我们今年没有差旅预算。"]


def test_a_decline_reason_that_is_too_long_is_refused_next_to_the_field(client, invited, mailoutbox):
    _, _, chinese = invited
    _, decline = accept_and_decline_paths(mailoutbox, chinese)

    response = client.post(decline, {"reason": "x" * 2001})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["确保该变量包含不超过 2000 字符 (目前字符数 2001)。"]
    }
    assert Proposal.objects.get().status == Proposal.Status.APPROVED


def test_the_stop_link_asks_first_then_withdraws_consent_and_cancels_what_is_pending(
    client, invited, mailoutbox
):
    proposal, spanish, _ = invited
    stop = link_paths(mailoutbox, spanish, "stop")[0]
    pending_reminder = Invitation.objects.create(
        kind=Invitation.Kind.REMINDER,
        reminder_of=Invitation.objects.get(person=spanish),
        reminder_number=1,
        person=spanish,
        proposal=proposal,
        due_at=timezone.now() + dt.timedelta(days=3),
    )

    question = client.get(stop)
    spanish.refresh_from_db()
    assert spanish.has_contact_consent
    done = client.post(stop, follow=True)

    spanish.refresh_from_db()
    assert not spanish.has_contact_consent
    assert "¿Desea dejar de recibir" in question.content.decode()
    assert f"No enviaremos más correos a {spanish.email}." in done.content.decode()
    pending_reminder.refresh_from_db()
    assert (pending_reminder.status, pending_reminder.closed_reason) == ("cancelled", "no_consent")
    assert [event.action for event in spanish.consent_events.all()] == ["given", "withdrawn"]


def test_a_tampered_stop_link_gives_a_clear_page(client, invited, mailoutbox):
    _, spanish, _ = invited
    stop = link_paths(mailoutbox, spanish, "stop")[0]

    response = client.post(stop.replace("/stop/", "/stop/x"))

    assert response.status_code == 400
    spanish.refresh_from_db()
    assert spanish.has_contact_consent
