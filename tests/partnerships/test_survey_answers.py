"""Survey answers feed brokering: the city's interest (priorities, cities named) and the consent."""

import datetime as dt

import pytest
from django.urls import reverse
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


# --- Merging: an answer adds to the interest, never removes ----------------------------------------


def test_a_respondent_who_answers_again_adds_to_the_interest_and_removes_nothing(kit):
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

    assert current_interest(morelia) == (["SMEs", "Tourism", "Transport"], ["Anyang", "Luoyang"], "survey")
    history = list(interest_history(city=morelia))
    assert [sorted(p.name for p in interest.priorities.all()) for interest in history] == [
        ["SMEs", "Tourism", "Transport"],
        ["Tourism", "Transport"],
        ["Transport"],
    ]


def test_a_survey_answer_adds_to_a_web_form_interest_and_records_where_each_item_came_from(kit):
    morelia = factories.city(name="Morelia")
    theme = factories.theme()
    spanish = factories.language()
    tourism = kit.options["Tourism"].priority
    interest_record(
        city=morelia,
        source=Interest.Source.WEB_FORM,
        priorities=[tourism],
        partner_cities=[kit.anyang],
        themes_sought=[theme],
        working_languages=[spanish],
        message="We want to work with Chinese cities.",
        is_published=True,
    )

    response = submit(kit, factories.person(), morelia, kit.answers())

    interest = Interest.objects.get(city=morelia, is_current=True)
    assert current_interest(morelia) == (["Tourism", "Transport"], ["Anyang", "Luoyang"], "survey")
    assert list(interest.themes_sought.all()) == [theme]
    assert list(interest.working_languages.all()) == [spanish]
    assert (interest.message, interest.is_published) == ("We want to work with Chinese cities.", True)
    sources = interest.item_sources
    assert sources["partner_cities"][str(kit.anyang.pk)]["source"] == "web_form"
    assert sources["partner_cities"][str(kit.luoyang.pk)] == {
        "source": "survey",
        "survey": kit.survey.slug,
        "response": response.pk,
        "at": response.submitted_at.isoformat(),
    }
    assert sources["priorities"][str(tourism.pk)]["source"] == "web_form"


def test_an_item_the_form_removed_after_the_answer_is_not_brought_back_by_feeding_it_again(kit, client):
    morelia = factories.city(name="Morelia")
    response = submit(
        kit, factories.person(), morelia, kit.answers(), at=timezone.now() - dt.timedelta(days=3)
    )
    official = factories.official(city_=morelia)
    client.force_login(official)
    tourism = kit.options["Tourism"].priority

    client.post(
        reverse("partnerships:interest_register", args=[morelia.slug]),
        {"priorities": [tourism.pk], "partner_cities": [], "consent_to_contact": "on"},
    )
    outcome = response_feed_brokering(response=response)

    assert outcome.interest == "unchanged"
    interest = Interest.objects.get(city=morelia, is_current=True)
    assert current_interest(morelia) == (["Tourism"], [], Interest.Source.WEB_FORM)
    assert interest.item_sources["partner_cities"][str(kit.luoyang.pk)]["removed"] is True


def test_a_response_moved_to_another_city_adds_to_the_new_city_and_leaves_the_first(kit):
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

    assert current_interest(morelia) == (["SMEs", "Tourism"], ["Anyang", "Luoyang"], "survey")
    assert current_interest(puebla) == (["SMEs"], ["Anyang"], "survey")


def test_the_official_is_told_what_the_answer_added(kit, client):
    morelia = factories.city(name="Morelia")
    official = factories.official(city_=morelia)
    client.force_login(official)
    url = reverse("surveys:answer_for_city", args=[kit.survey.slug])
    from tests.surveys.test_views import form_data

    page = client.post(url, {**form_data(kit), "city": morelia.pk}, follow=True)

    told = [str(message) for message in page.context["messages"]]
    assert "Added to the partnership interest of Morelia: Luoyang, Tourism, Transport." in told


def test_a_no_to_a_countrys_cities_becomes_a_country_not_wanted_and_a_later_yes_replaces_it(kit):
    from surveys.models import Question

    china = kit.luoyang.country
    question = Question.objects.create(
        survey=kit.survey,
        order=50,
        kind=Question.Kind.YES_NO,
        text="Are you interested in collaborating with Chinese cities?",
        purpose=Question.Purpose.COUNTRY_INTEREST,
        country=china,
        required=False,
    )
    puebla = factories.city(name="Puebla")
    respondent = factories.person()

    submit(
        kit,
        respondent,
        puebla,
        {**kit.answers(cities=None), question.pk: False},
        at=timezone.now() - dt.timedelta(days=2),
    )
    said_no = Interest.objects.get(city=puebla, is_current=True)
    submit(kit, factories.person(), puebla, {**kit.answers(cities=None), question.pk: True})
    said_yes = Interest.objects.get(city=puebla, is_current=True)

    assert (list(said_no.excluded_countries.all()), list(said_no.partner_countries.all())) == ([china], [])
    assert (list(said_yes.excluded_countries.all()), list(said_yes.partner_countries.all())) == ([], [china])
