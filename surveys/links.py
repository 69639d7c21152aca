"""Personal survey links: signed, bound to one survey and one person, expiring when the survey closes."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from .models import SurveyInvitee

SALT = "surveys.personal-link"


@dataclass(frozen=True)
class PersonalLinkClaims:
    survey_id: int
    person_id: int


class PersonalLinkError(Exception):
    """The link was tampered with, has expired, or names nobody invited."""


def personal_link_token(*, invitee: SurveyInvitee) -> str:
    return signing.dumps(
        {"s": invitee.survey_id, "p": invitee.person_id, "exp": int(invitee.survey.closes_at.timestamp())},
        salt=SALT,
        compress=True,
    )


def read_personal_link_token(token: str) -> PersonalLinkClaims:
    try:
        claims = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise PersonalLinkError("tampered") from error
    if claims.get("exp", 0) < timezone.now().timestamp():
        raise PersonalLinkError("expired")
    return PersonalLinkClaims(survey_id=claims["s"], person_id=claims["p"])


def personal_link_url(*, invitee: SurveyInvitee) -> str:
    """The absolute address of the invitee's answering page, in the invitee's language."""
    with translation.override(invitee.person.preferred_language):
        path = reverse("surveys:answer", kwargs={"token": personal_link_token(invitee=invitee)})
    return f"{settings.SITE_URL}{path}"
