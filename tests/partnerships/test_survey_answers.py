"""Survey answers feed brokering: the city's interest (priorities, cities named) and the consent."""

import datetime as dt

import pytest
from django.utils import timezone

from cities.models import ContactConsentEvent, Person
from cities.services import person_consent_withdraw
from partnerships.interests import interest_record
from partnerships.models import Interest
from partnerships.selectors import interest_history
from partnerships.survey_answers import response_feed_brokering
from surveys.services import response_submit
from tests import factories
from tests.surveys.builders import build_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(db):
    """An open survey with a question of every kind (tests.surveys.builders.build_survey)."""
    return build_survey()


def submit(kit, respondent, city, answers, at=None):
    return response_submit(
        survey=kit.survey, respondent=respondent, city=city, answers=answers, language="es", at=at
    )


def current_interest(city) -> tuple[list[str], list[str], str]:
    interest = Interest.objects.get(city=city, is_current=True)
    return (
        sorted(priority.name for priority in interest.priorities.all()),
        sorted(partner.name for partner in interest.partner_cities.all()),
        interest.source,
    )


def test_a_response_becomes_the_city_interest_and_the_respondent_consent(kit):
    morelia = factories.city(name="Morelia")
    respondent = factories.person()

    response = submit(kit, respondent, morelia, kit.answers())

    assert current_interest(morelia) == (["Tourism", "Transport"], ["Luoyang"], Interest.Source.SURVEY)
    interest = Interest.objects.get(city=morelia, is_current=True)
    assert (interest.survey_response, interest.source_note) == (response, "survey:after-webinar")
    respondent.refresh_from_db()
    assert respondent.has_contact_consent
    assert respondent.contact_consent_source == "survey:after-webinar"
    assert list(ContactConsentEvent.objects.values_list("action", "source")) == [
        ("given", "survey:after-webinar")
    ]


def test_two_respondents_of_one_city_combine_into_its_interest(kit):
    morelia = factories.city(name="Morelia")
    submit(kit, factories.person(), morelia, kit.answers(cities=[kit.o("Luoyang"), kit.o("Anyang")]))

    second = submit(
        kit,
        factories.person(),
        morelia,
        kit.answers(priorities=[kit.o("Tourism"), kit.o("SMEs")], cities=[kit.o("Luoyang")]),
    )

    assert current_interest(morelia) == (["SMEs", "Tourism", "Transport"], ["Anyang", "Luoyang"], "survey")
    assert Interest.objects.get(city=morelia, is_current=True).survey_response == second
    assert [interest.is_current for interest in interest_history(city=morelia)] == [True, False]


def test_a_respondent_who_answers_again_replaces_only_their_own_answers(kit):
    morelia = factories.city(name="Morelia")
    official = factories.person()
    colleague = factories.person()
    submit(kit, official, morelia, kit.answers(priorities=[kit.o("Transport")], cities=[kit.o("Anyang")]))
    submit(kit, colleague, morelia, kit.answers(priorities=[kit.o("Tourism")], cities=[kit.o("Luoyang")]))

    submit(
        kit,
        official,
        morelia,
        kit.answers(priorities=[kit.o("SMEs")], chinese=False, cities=None, areas=None),
    )

    assert current_interest(morelia) == (["SMEs", "Tourism"], ["Luoyang"], "survey")
    history = list(interest_history(city=morelia))
    assert len(history) == 3
    assert [sorted(p.name for p in interest.priorities.all()) for interest in history] == [
        ["SMEs", "Tourism"],
        ["Tourism", "Transport"],
        ["Transport"],
    ]


def test_an_interest_stated_after_the_response_is_not_overridden(kit):
    morelia = factories.city(name="Morelia")
    response = submit(
        kit, factories.person(), morelia, kit.answers(), at=timezone.now() - dt.timedelta(days=3)
    )
    interest_record(
        city=morelia, source=Interest.Source.WEB_FORM, partner_cities=[kit.anyang], message="Ours"
    )

    outcome = response_feed_brokering(response=response)

    assert outcome.interest == "skipped"
    assert current_interest(morelia) == ([], ["Anyang"], Interest.Source.WEB_FORM)


def test_a_later_response_overrides_a_web_form_interest_and_keeps_what_the_survey_does_not_ask(kit):
    morelia = factories.city(name="Morelia")
    theme = factories.theme()
    spanish = factories.language()
    interest_record(
        city=morelia,
        source=Interest.Source.WEB_FORM,
        partner_cities=[kit.anyang],
        themes_sought=[theme],
        working_languages=[spanish],
        message="We want to work with Chinese cities.",
        is_published=True,
    )

    submit(kit, factories.person(), morelia, kit.answers())

    interest = Interest.objects.get(city=morelia, is_current=True)
    assert current_interest(morelia) == (["Tourism", "Transport"], ["Luoyang"], "survey")
    assert list(interest.themes_sought.all()) == [theme]
    assert list(interest.working_languages.all()) == [spanish]
    assert (interest.message, interest.is_published) == ("We want to work with Chinese cities.", True)
    assert Interest.objects.filter(city=morelia, is_current=False, source="web_form").count() == 1


def test_feeding_the_same_response_twice_changes_nothing(kit):
    morelia = factories.city(name="Morelia")
    response = submit(kit, factories.person(), morelia, kit.answers())
    interests_before = Interest.objects.count()
    events_before = ContactConsentEvent.objects.count()

    outcome = response_feed_brokering(response=response)

    assert (outcome.interest, outcome.consent) == ("unchanged", "unchanged")
    assert (Interest.objects.count(), ContactConsentEvent.objects.count()) == (
        interests_before,
        events_before,
    )


def test_a_no_after_a_yes_withdraws_consent_and_history_is_kept(kit):
    respondent = factories.person()
    submit(kit, respondent, None, kit.answers(), at=timezone.now() - dt.timedelta(hours=1))

    submit(kit, respondent, None, kit.answers(consent=False))

    respondent.refresh_from_db()
    assert not respondent.has_contact_consent
    assert list(ContactConsentEvent.objects.filter(person=respondent).values_list("action", "source")) == [
        ("given", "survey:after-webinar"),
        ("withdrawn", "survey:after-webinar"),
    ]


def test_a_withdrawal_after_the_response_is_not_undone_by_feeding_it_again(kit):
    respondent = factories.person()
    response = submit(kit, respondent, None, kit.answers(), at=timezone.now() - dt.timedelta(hours=1))
    person_consent_withdraw(person=respondent, source="e-mail unsubscribe link")

    outcome = response_feed_brokering(response=response)

    assert outcome.consent == "skipped"
    assert not Person.objects.get(pk=respondent.pk).has_contact_consent


def test_a_response_without_city_sets_consent_but_no_interest(kit):
    respondent = factories.person()

    submit(kit, respondent, None, kit.answers())

    assert Interest.objects.count() == 0
    assert Person.objects.get(pk=respondent.pk).has_contact_consent


def test_an_anonymous_survey_feeds_nothing(db):
    kit = build_survey(is_anonymous=True)
    morelia = factories.city(name="Morelia")
    respondent = factories.person()

    response = submit(kit, respondent, morelia, kit.answers())
    outcome = response_feed_brokering(response=response)

    assert (outcome.interest, outcome.consent) == ("skipped", "skipped")
    assert Interest.objects.count() == 0
    assert not Person.objects.get(pk=respondent.pk).has_contact_consent


def test_a_response_moved_to_another_city_leaves_the_first_city_what_its_others_said(kit):
    morelia, puebla = factories.city(name="Morelia"), factories.city(name="Puebla")
    official = factories.person()
    submit(
        kit,
        factories.person(),
        morelia,
        kit.answers(priorities=[kit.o("Tourism")], cities=[kit.o("Luoyang")]),
    )
    submit(kit, official, morelia, kit.answers(priorities=[kit.o("SMEs")], cities=[kit.o("Anyang")]))

    submit(kit, official, puebla, kit.answers(priorities=[kit.o("SMEs")], cities=[kit.o("Anyang")]))

    assert current_interest(morelia) == (["Tourism"], ["Luoyang"], "survey")
    assert current_interest(puebla) == (["SMEs"], ["Anyang"], "survey")
