"""A person's data under their control: a download of everything the portal holds about them, the
deletion of their own account, and staff's erasure of a person on request (docs/security.md).

Erasing keeps what others need and nothing that names the person: the consent history stays as
actions and dates (its addresses cleared), answers to surveys stay as their city's answers without
a respondent, invitations stay as counts without address or notes. Participation in anonymous
surveys and survey invitations go. The person record stays as "Erased person" so that rows that
point at it (quotes, agendas, partnerships' timelines) still hold together.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cities.models import CityMembership, ContactConsentEvent, Person
from cities.services import person_consent_withdraw
from partnerships.models import Invitation
from surveys.models import Response, SurveyInvitee, SurveyParticipation

ERASED_NAME = "Erased person"
ERASURE_SOURCE = "Erased on the person's request"


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def personal_data_export(*, user: AbstractBaseUser) -> dict:
    """Everything the portal holds about ``user``: their account, their person record, consent
    history, cities, survey answers (their own, not anonymous ones: nothing links those to them)
    and the e-mails sent to them."""
    person = Person.objects.filter(user=user).first()
    data: dict = {
        "account": {
            "email": user.email,
            "joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
        },
        "memberships": [
            {
                "city": membership.city.name,
                "status": membership.status,
                "role": membership.role,
                "message": membership.message,
                "requested": _when(membership.created_at),
                "decided": _when(membership.decided_at),
                "decision_reason": membership.decision_reason,
            }
            for membership in CityMembership.objects.filter(user=user).select_related("city").order_by("pk")
        ],
        "person": None,
    }
    if person is None:
        return data
    data["person"] = {
        "full_name": person.full_name,
        "honorific": person.honorific,
        "title": person.title,
        "email": person.email,
        "city": person.city.name if person.city_id else None,
        "preferred_language": person.preferred_language,
        "consent_history": [
            {"action": event.action, "at": _when(event.at), "source": event.source, "email": event.email}
            for event in ContactConsentEvent.objects.filter(person=person).order_by("at", "pk")
        ],
        "survey_responses": [
            {
                "survey": response.survey.title,
                "submitted": _when(response.submitted_at),
                "city": response.city.name if response.city_id else None,
                "answers": [
                    {
                        "question": answer.question.text,
                        "yes": answer.yes,
                        "rating": answer.rating,
                        "text": answer.text,
                        "options": [option.label for option in answer.options.all()],
                    }
                    for answer in response.answers.all()
                ],
            }
            for response in Response.objects.filter(respondent=person)
            .select_related("survey", "city")
            .prefetch_related("answers__question", "answers__options")
            .order_by("pk")
        ],
        "anonymous_surveys_answered": sorted(
            SurveyParticipation.objects.filter(person=person).values_list("survey__title", flat=True)
        ),
        "emails_sent": [
            {
                "kind": invitation.kind,
                "status": invitation.status,
                "sent": _when(invitation.sent_at),
                "to": invitation.sent_to,
            }
            for invitation in Invitation.objects.filter(person=person).order_by("created_at", "pk")
        ],
    }
    return data


@transaction.atomic
def person_erase(*, person: Person, by: AbstractBaseUser | None = None) -> Person:
    """Erase ``person`` on their request (see the module's docstring for what stays).

    Side effects: their consent is withdrawn first (everything waiting to be sent to them is
    cancelled), and the proposals of their city are refreshed after commit."""
    if Person.objects.get(pk=person.pk).has_contact_consent:
        person_consent_withdraw(person=person, source=ERASURE_SOURCE)
    person = Person.objects.select_for_update().get(pk=person.pk)  # as the withdrawal left it
    ContactConsentEvent.objects.filter(person=person).update(email="")
    Response.objects.filter(respondent=person).update(respondent=None)
    SurveyParticipation.objects.filter(person=person).delete()
    SurveyInvitee.objects.filter(person=person).delete()
    Invitation.objects.filter(person=person).update(sent_to="", answer_note="", answer_data={}, last_error="")
    person.full_name = ERASED_NAME
    person.honorific = ""
    person.title = ""
    person.email = ""
    person.user = None
    person.slug = f"erased-{person.pk}"
    person.save()
    return person


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> None:
    """A person deletes their own account: their person record is erased (``person_erase``), their
    memberships and addresses go with the account. Staff accounts are removed by an administrator."""
    if user.is_staff or user.is_superuser:
        raise ValidationError(_("Staff accounts are removed by an administrator."))
    person = Person.objects.filter(user=user).first()
    if person is not None:
        person_erase(person=person)
    user.delete()
