"""Composing an invitation's e-mail: HTML and plain text from templates, in the recipient's language.

Templates live under templates/partnerships/email/: for each kind ``<kind>_subject.txt``,
``<kind>.txt`` and ``<kind>.html``. A reminder uses its original's templates with ``is_reminder``.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cities.models import City, CityMembership, GoodPractice, ReviewStatus
from surveys.links import personal_link_url

from ..models import Invitation
from . import links
from .selectors import city_contacts, invitation_settings
from .services import introductions_of


def message_id(invitation: Invitation) -> str:
    """The same Message-ID on every attempt, so that a receiving system can recognise the message."""
    domain = urlsplit(settings.SITE_URL).hostname or "travelsouth.invalid"
    return f"<invitation-{invitation.pk}.{int(invitation.created_at.timestamp())}@{domain}>"


def _city_page(city) -> str:
    return f"{settings.SITE_URL}{reverse('cities:detail', kwargs={'slug': city.slug})}"


def _partner(proposal, city_id: int):
    return proposal.city_b if proposal.city_a_id == city_id else proposal.city_a


def _practice_page(practice) -> str:
    return f"{settings.SITE_URL}{reverse('practices:detail', kwargs={'slug': practice.slug})}"


def _introduction_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    """Why the cities were matched (the same reasons staff read, in the recipient's language), who the
    other city's contacts are, and where to read about it and its good practices."""
    from ..matching.explanations import explain_reasons

    proposal = answerable.proposal
    partner = _partner(proposal, answerable.city_id)
    practices = list(
        GoodPractice.objects.filter(city=partner, status=GoodPractice.Status.PUBLISHED).order_by(
            "-year", "title"
        )[:5]
    )
    return {
        "own_city": answerable.city,
        "partner_city": partner,
        "partner_country": partner.country,
        "partner_page": _city_page(partner),
        "partner_contacts": list(city_contacts(city=partner)),
        "partner_practices": [(practice, _practice_page(practice)) for practice in practices],
        "reasons": explain_reasons([proposal.reasons], language=invitation.person.preferred_language)[0],
        "themes": list(proposal.themes.all()),
        "accept_url": links.answer_url(
            invitation=invitation, action=links.ACCEPT, expires_at=links_valid_until
        ),
        "decline_url": links.answer_url(
            invitation=invitation, action=links.DECLINE, expires_at=links_valid_until
        ),
    }


def _survey_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    invitee = answerable.survey_invitee
    return {"survey": invitee.survey, "survey_url": personal_link_url(invitee=invitee)}


def _training_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    return {"workshop": answerable.workshop}


def _check_in_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    partnership = answerable.partnership
    return {
        "own_city": answerable.city,
        "partner_city": _partner(partnership, answerable.city_id),
        "days": answerable.check_in_after_days,
        "manage_url": f"{settings.SITE_URL}{reverse('partnerships:manage', kwargs={'pk': partnership.pk})}",
        "check_in_url": links.answer_url(
            invitation=invitation, action=links.CHECK_IN, expires_at=links_valid_until
        ),
    }


def _partnership_formed_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    proposal = answerable.proposal
    partner = _partner(proposal, answerable.city_id)
    partner_contact = (
        introductions_of(proposal)
        .filter(city=partner, answer=Invitation.Answer.ACCEPTED)
        .select_related("person")
        .first()
    )
    return {
        "own_city": answerable.city,
        "partner_city": partner,
        "partner_page": _city_page(partner),
        "partner_contact": partner_contact.person if partner_contact else None,
        "manage_url": f"{settings.SITE_URL}{reverse('partnerships:manage', kwargs={'pk': answerable.partnership_id})}"
        if answerable.partnership_id
        else "",
    }


def _proposal_declined_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    return {"own_city": answerable.city, "partner_city": _partner(answerable.proposal, answerable.city_id)}


def _membership_decision_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    membership = answerable.membership
    return {
        "membership": membership,
        "city_name": membership.city.display_name,
        "dashboard_url": settings.SITE_URL + reverse("officials:dashboard"),
    }


def _consent_request_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    proposal = answerable.proposal
    return {
        "own_city": answerable.city,
        "partner_city": _partner(proposal, answerable.city_id) if proposal and answerable.city_id else None,
        "consent_url": links.answer_url(
            invitation=invitation, action=links.CONSENT, expires_at=links_valid_until
        ),
    }


def _staff_digest_context(invitation: Invitation, answerable: Invitation, links_valid_until) -> dict:
    since = dt.datetime.fromisoformat(answerable.answer_data["since"])
    memberships = list(
        CityMembership.objects.filter(status=CityMembership.Status.PENDING)
        .select_related("user", "city")
        .order_by("created_at")[:50]
    )
    cities = list(
        City.objects.filter(review_status=ReviewStatus.PENDING)
        .select_related("country")
        .order_by("created_at")[:50]
    )
    return {
        "since": since,
        "memberships": [(membership, membership.created_at > since) for membership in memberships],
        "cities": [(city, city.created_at > since) for city in cities],
        "memberships_url": f"{settings.SITE_URL}{reverse('admin:cities_citymembership_changelist')}?status__exact=pending",
        "cities_url": f"{settings.SITE_URL}{reverse('admin:cities_city_changelist')}?review_status__exact=pending",
    }


CONTEXTS = {
    Invitation.Kind.INTRODUCTION: _introduction_context,
    Invitation.Kind.SURVEY: _survey_context,
    Invitation.Kind.TRAINING: _training_context,
    Invitation.Kind.CHECK_IN: _check_in_context,
    Invitation.Kind.PARTNERSHIP_FORMED: _partnership_formed_context,
    Invitation.Kind.PROPOSAL_DECLINED: _proposal_declined_context,
    Invitation.Kind.MEMBERSHIP_DECISION: _membership_decision_context,
    Invitation.Kind.CONSENT_REQUEST: _consent_request_context,
    Invitation.Kind.STAFF_DIGEST: _staff_digest_context,
}


def compose_message(
    invitation: Invitation, *, links_valid_until: dt.datetime | None = None
) -> EmailMultiAlternatives:
    """The e-mail for ``invitation`` in its recipient's language, with the stop link every e-mail carries
    (a batch passes ``links_valid_until``, read once from the staff's settings)."""
    person = invitation.person
    answerable = invitation.answerable
    language = person.preferred_language
    if links_valid_until is None:
        links_valid_until = timezone.now() + dt.timedelta(days=invitation_settings().answer_link_valid_days)
    with translation.override(language):
        context = {
            "person": person,
            "invitation": invitation,
            "is_reminder": invitation.kind == Invitation.Kind.REMINDER,
            "links_valid_until": links_valid_until,
            "stop_url": links.stop_url(person=person),
            "site_url": settings.SITE_URL,
            **CONTEXTS[answerable.kind](invitation, answerable, links_valid_until),
        }
        template = f"partnerships/email/{answerable.kind}"
        # Every subject starts with "[Travel South]", as allauth's do (docs/officials.md).
        subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(
            render_to_string(f"{template}_subject.txt", context).split()
        )
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers={
            "Message-ID": message_id(invitation),
            "Content-Language": language,
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "X-Travel-South-Invitation": str(invitation.pk),
        },
    )
    message.attach_alternative(html, "text/html")
    return message
