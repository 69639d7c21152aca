"""Links in invitation e-mails: signed, bound to one invitation and one person, in their language.

An answer link names the invitation, the person and what the link does (accept, decline, report a
check-in), and expires. Opening it shows a confirmation page; only the page's POST acts, and only
once, because the invitation's own state changes (see answers.py). A stop link names only the
person and does not expire: anyone who got an e-mail can always stop the next ones.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from cities.models import Person

from ..models import Invitation
from .selectors import invitation_settings

ANSWER_SALT = "partnerships.invitation-answer"
STOP_SALT = "partnerships.stop-contact"

ACCEPT = "accept"
DECLINE = "decline"
CHECK_IN = "check_in"
CONSENT = "consent"
ACTIONS = (ACCEPT, DECLINE, CHECK_IN, CONSENT)
# The page each action's link opens.
VIEWS = {
    ACCEPT: "invitations:answer",
    DECLINE: "invitations:answer",
    CHECK_IN: "invitations:check_in",
    CONSENT: "invitations:consent",
}


class LinkError(Exception):
    """A link that was tampered with (``reason == "tampered"``) or has expired (``"expired"``)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AnswerClaims:
    invitation_id: int
    person_id: int
    action: str


def answer_token(*, invitation_id: int, person_id: int, action: str, expires_at: dt.datetime) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown link action {action!r}")
    return signing.dumps(
        {"i": invitation_id, "p": person_id, "a": action, "exp": int(expires_at.timestamp())},
        salt=ANSWER_SALT,
        compress=True,
    )


def read_answer_token(token: str) -> AnswerClaims:
    try:
        claims = signing.loads(token, salt=ANSWER_SALT)
    except signing.BadSignature as error:
        raise LinkError("tampered") from error
    if claims.get("a") not in ACTIONS:
        raise LinkError("tampered")
    if claims.get("exp", 0) < timezone.now().timestamp():
        raise LinkError("expired")
    return AnswerClaims(invitation_id=claims["i"], person_id=claims["p"], action=claims["a"])


def _absolute(view_name: str, token: str, language: str) -> str:
    with translation.override(language):
        path = reverse(view_name, kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def answer_url(*, invitation: Invitation, action: str, expires_at: dt.datetime | None = None) -> str:
    """The address that lets ``invitation``'s recipient take ``action`` on it, valid until ``expires_at``
    (by default for the staff-set days). For a reminder, the link answers the original invitation.
    """
    answerable = invitation.answerable
    expires_at = expires_at or timezone.now() + dt.timedelta(
        days=invitation_settings().answer_link_valid_days
    )
    token = answer_token(
        invitation_id=answerable.pk, person_id=invitation.person_id, action=action, expires_at=expires_at
    )
    return _absolute(VIEWS[action], token, invitation.person.preferred_language)


def stop_token(*, person_id: int) -> str:
    return signing.dumps({"p": person_id}, salt=STOP_SALT, compress=True)


def read_stop_token(token: str) -> int:
    try:
        return signing.loads(token, salt=STOP_SALT)["p"]
    except (signing.BadSignature, KeyError, TypeError) as error:
        raise LinkError("tampered") from error


def stop_url(*, person: Person) -> str:
    """The address at which ``person`` withdraws their consent to be contacted (in every e-mail)."""
    return _absolute("invitations:stop", stop_token(person_id=person.pk), person.preferred_language)
