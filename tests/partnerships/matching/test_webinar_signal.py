"""Matching's webinar signal: a good practice counts as presented at a webinar only when its speaker
presented it on that webinar's agenda for its city, not when the speaker was only quoted there or
when someone speaking for another named it (the data set's decision city-parts)."""

import pytest

from cities.models import GoodPractice
from partnerships.matching.loading import load_city_facts
from tests import factories
from webinars.models import AgendaItem, Quote, QuoteSpeaker, Webinar, WebinarSeries

pytestmark = pytest.mark.django_db


def presented_flags() -> dict[str, bool]:
    """Practice title -> whether the matching engine sees it as presented at a webinar."""
    titles = dict(GoodPractice.objects.values_list("pk", "title"))
    return {
        titles[practice.id]: practice.presented_at_webinar
        for facts in load_city_facts().values()
        for practice in facts.practices
    }


def test_only_a_practice_presented_on_the_agenda_for_its_city_is_presented():
    series = WebinarSeries.objects.create(slug="s", title="S", organiser=factories.organisation())
    webinar = Webinar.objects.create(series=series, number=1, slug="w", title="W", broadcast_on="2021-01-01")
    presenter_city, quoted_city, cited_city, elsewhere = (factories.city() for _ in range(4))
    presenter, quoted, professor = (factories.person() for _ in range(3))
    AgendaItem.objects.create(
        webinar=webinar, order=1, kind="presentation", speaker=presenter, city=presenter_city
    )
    # The professor is on the agenda, but for a university, not for the city whose practice she cites.
    AgendaItem.objects.create(
        webinar=webinar, order=2, kind="insight", speaker=professor, organisation=factories.organisation()
    )
    quote = Quote.objects.create(
        webinar=webinar,
        position=1,
        text="We care.",
        language=factories.language(code="en", name="English"),
        city=quoted_city,
    )
    QuoteSpeaker.objects.create(quote=quote, person=quoted)
    factories.good_practice(city_=presenter_city, title="On the agenda", webinar=webinar, speaker=presenter)
    factories.good_practice(city_=quoted_city, title="Quoted only", webinar=webinar, speaker=quoted)
    factories.good_practice(
        city_=cited_city, title="Cited by a professor", webinar=webinar, speaker=professor
    )
    factories.good_practice(city_=elsewhere, title="No webinar")

    flags = presented_flags()

    assert flags == {
        "On the agenda": True,
        "Quoted only": False,
        "Cited by a professor": False,
        "No webinar": False,
    }


def test_the_reports_quoted_and_cited_practices_are_not_presented(report_data):
    city_of = dict(GoodPractice.objects.values_list("title", "city__slug"))

    flags = {city_of[title]: flag for title, flag in presented_flags().items()}

    assert {city: flags[city] for city in ("campeche", "xiamen", "luoyang", "ghana", "anyang")} == {
        "campeche": False,  # Verónica Ceballos Cámara is quoted in webinar 4's highlights, on no agenda
        "xiamen": False,  # cited by Professor Qing Mei, who spoke for Tongji University
        "luoyang": True,
        "ghana": True,
        "anyang": True,
    }
    assert sorted(city for city, flag in flags.items() if not flag) == ["campeche", "xiamen"]
