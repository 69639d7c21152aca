"""Builders for invitation tests: cities with contacts who consented, proposals, surveys."""

import datetime as dt

from django.utils import timezone

from cities.models import City, Person
from cities.services import person_consent_give
from partnerships.models import Proposal
from surveys.models import Answer, Question, Response, Survey, SurveyInvitee
from tests import factories
from webinars.models import WebinarSeries


def contact(*, city: City, language: str = "en", consent: bool = True, **fields) -> Person:
    """A person of ``city`` with an address, who agreed to be contacted (through the consent service)."""
    person = factories.person(city=city, preferred_language=language, **fields)
    if "email" not in fields:
        person.email = f"{person.slug}@example.org"
        person.save(update_fields=["email"])
    if consent:
        person = person_consent_give(person=person, source="Post-webinar survey")
    return person


def mexican_city(name: str = "Morelia") -> City:
    return factories.city(name=name, name_es=name, name_zh_hans="莫雷利亚" if name == "Morelia" else "")


def chinese_city(name: str = "Luoyang") -> City:
    china = factories.country(iso_code="CN", name="China")
    return factories.city(
        name=name, country_=china, name_es=name, name_zh_hans="洛阳" if name == "Luoyang" else ""
    )


def proposal(*, first: City, second: City, themes=()) -> Proposal:
    city_a, city_b = sorted([first, second], key=lambda city: city.pk)
    created = Proposal.objects.create(city_a=city_a, city_b=city_b, score=1.0)
    created.themes.set(themes)
    return created


def proposal_with_contacts() -> tuple[Proposal, Person, Person]:
    """Morelia (a Spanish-speaking contact) and Luoyang (a Chinese-speaking contact), awaiting review."""
    morelia, luoyang = mexican_city(), chinese_city()
    spanish = contact(city=morelia, language="es", full_name="Ana Morales")
    chinese = contact(city=luoyang, language="zh-hans", full_name="Li Wei")
    return proposal(first=morelia, second=luoyang, themes=[factories.theme()]), spanish, chinese


def survey(*, opens_at: dt.datetime | None = None, closes_at: dt.datetime | None = None, **fields) -> Survey:
    now = timezone.now()
    series = WebinarSeries.objects.first() or WebinarSeries.objects.create(
        slug="travel-south-over-cloud", title="Travel South Over Cloud", organiser=factories.organisation()
    )
    return Survey.objects.create(
        slug=f"survey-{Survey.objects.count() + 1}",
        title=fields.pop("title", "After the webinar"),
        title_es=fields.pop("title_es", "Después del seminario web"),
        title_zh_hans=fields.pop("title_zh_hans", "研讨会之后"),
        series=series,
        opens_at=opens_at or now - dt.timedelta(hours=1),
        closes_at=closes_at or now + dt.timedelta(days=14),
        **fields,
    )


def invitee(*, survey_: Survey, person: Person) -> SurveyInvitee:
    return SurveyInvitee.objects.create(survey=survey_, person=person, city=person.city)


def training_answer(*, survey_: Survey, person: Person, yes: bool) -> Answer:
    question = survey_.questions.filter(purpose=Question.Purpose.TRAINING).first() or Question.objects.create(
        survey=survey_,
        order=1,
        kind=Question.Kind.YES_NO,
        text="Are you interested to participate in future training workshops?",
        purpose=Question.Purpose.TRAINING,
    )
    response = Response.objects.create(
        survey=survey_, respondent=person, city=person.city, submitted_at=timezone.now()
    )
    return Answer.objects.create(response=response, question=question, yes=yes)


def formed_partnership(proposal_: Proposal, *, by=None):
    """Carry ``proposal_`` (awaiting review) to a partnership through the real doors' services: a
    consenting contact for each city, staff approval, the introductions sent, both cities accepting."""
    from partnerships.invitations.answers import invitation_answer
    from partnerships.invitations.delivery import invitation_send
    from partnerships.lifecycle import proposal_approve
    from partnerships.models import Invitation

    people = {
        city.pk: Person.objects.filter(city=city, contact_consent_given_at__isnull=False).first()
        or contact(city=city, full_name=f"Contact of {city.name}")
        for city in (proposal_.city_a, proposal_.city_b)
    }
    proposal_approve(proposal=proposal_, by=by)
    introductions = list(Invitation.objects.filter(proposal=proposal_, kind=Invitation.Kind.INTRODUCTION))
    for introduction in introductions:
        invitation_send(invitation_id=introduction.pk)
    for city_id, person in people.items():
        introduction = next(i for i in introductions if i.city_id == city_id and i.person_id == person.pk)
        introduction.refresh_from_db()
        invitation_answer(invitation=introduction, person=person, accept=True)
    proposal_.refresh_from_db()
    return proposal_.partnership
