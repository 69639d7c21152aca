"""Personal survey links: signed, bound to one survey and one person.

A link stays readable for ``PERSONAL_LINK_GRACE`` after the survey closes, so that a late visitor is
told the survey has closed (and when) rather than shown a bare "expired"; after that it has expired.
The expiry is computed from the survey's *current* closing date, not baked into the token, so staff
can extend a survey without reissuing links.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from .models import SurveyInvitee

SALT = "surveys.personal-link"
PERSONAL_LINK_GRACE = dt.timedelta(days=90)


@dataclass(frozen=True)
class PersonalLinkClaims:
    survey_id: int
    person_id: int


class PersonalLinkError(Exception):
    """The link was tampered with, has expired, or names nobody invited (``reason`` says which)."""

    TAMPERED = "tampered"
    EXPIRED = "expired"
    NOT_INVITED = "not_invited"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def personal_link_token(*, invitee: SurveyInvitee) -> str:
    """The same token every time for one invitee: the link staff copy is the link the e-mail sends."""
    return signing.Signer(salt=SALT).sign_object(
        {"s": invitee.survey_id, "p": invitee.person_id}, compress=True
    )


def read_personal_link_token(token: str) -> PersonalLinkClaims:
    try:
        claims = signing.Signer(salt=SALT).unsign_object(token)
        return PersonalLinkClaims(survey_id=int(claims["s"]), person_id=int(claims["p"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise PersonalLinkError(PersonalLinkError.TAMPERED) from error


def personal_link_invitee(*, token: str, at: dt.datetime | None = None) -> SurveyInvitee:
    """The invitee the link was made for, with survey, person and city; raises PersonalLinkError."""
    claims = read_personal_link_token(token)
    invitee = (
        SurveyInvitee.objects.select_related("survey", "person__city", "city")
        .filter(survey_id=claims.survey_id, person_id=claims.person_id)
        .first()
    )
    if invitee is None:
        raise PersonalLinkError(PersonalLinkError.NOT_INVITED)
    if (at or timezone.now()) >= invitee.survey.closes_at + PERSONAL_LINK_GRACE:
        raise PersonalLinkError(PersonalLinkError.EXPIRED)
    return invitee


def personal_link_url(*, invitee: SurveyInvitee) -> str:
    """The absolute address of the invitee's answering page, in the invitee's language.

    The language prefix of the address is the person's preferred language, so the form opens in it
    (and the visitor can still switch language on the page).
    """
    with translation.override(invitee.person.preferred_language):
        path = reverse("surveys:answer", kwargs={"token": personal_link_token(invitee=invitee)})
    return f"{settings.SITE_URL}{path}"
