"""The brokering funnel of a webinar series: which of the series' cities went how far, on the staff's
funnel page (a chart, its table, a CSV), counted from the records and nothing else."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.funnel import series_funnel
from partnerships.interests import interest_record
from partnerships.lifecycle import proposal_approve
from partnerships.models import Interest, JointActivity
from partnerships.outcomes import activity_record
from tests import factories
from tests.partnerships.invitations import builders
from webinars.models import AgendaItem, Webinar, WebinarSeries

pytestmark = pytest.mark.django_db

URL = "/admin/partnerships/partnership/funnel/"


@pytest.fixture
def series_world(staff_user):
    """A series that showed five cities: Morelia and Luoyang formed a partnership with an activity,
    Puebla and Dunhuang were approved (Dunhuang has no contact: the pair waits), Oaxaca stated an
    interest and nothing else. Anyang, outside the series, has a proposal with Morelia."""
    series = WebinarSeries.objects.create(
        slug="tsoc", title="Travel South", organiser=factories.organisation()
    )
    webinar = Webinar.objects.create(
        series=series, number=1, slug="w1", title="W1", broadcast_on="2020-11-01"
    )
    morelia, luoyang = builders.mexican_city("Morelia"), builders.chinese_city("Luoyang")
    puebla, dunhuang = builders.mexican_city("Puebla"), builders.chinese_city("Dunhuang")
    oaxaca, anyang = builders.mexican_city("Oaxaca"), builders.chinese_city("Anyang")
    for order, city in enumerate([morelia, luoyang, puebla, dunhuang, oaxaca], start=1):
        AgendaItem.objects.create(webinar=webinar, order=order, kind="city_showcase", city=city)
    for city in (morelia, luoyang, oaxaca, anyang):
        interest_record(city=city, source=Interest.Source.WEB_FORM, themes_sought=[factories.theme()])

    partnership = builders.formed_partnership(builders.proposal(first=morelia, second=luoyang), by=staff_user)
    activity_record(
        partnership=partnership,
        title="Exchange visit",
        kind=JointActivity.Kind.EXCHANGE_VISIT,
        starts_on=dt.date(2026, 3, 1),
        by=staff_user,
    )
    builders.contact(city=puebla)
    proposal_approve(proposal=builders.proposal(first=puebla, second=dunhuang), by=staff_user)
    builders.proposal(first=morelia, second=anyang)
    return series


def test_the_funnel_counts_each_stage_among_the_series_cities(series_world):
    funnel = series_funnel(series=series_world)

    assert funnel.cities == 5
    assert [(stage.key, stage.count, stage.share) for stage in funnel.stages] == [
        ("interest", 3, 60),  # Morelia, Luoyang, Oaxaca (Anyang is not of the series)
        ("proposed", 4, 80),
        ("approved", 4, 80),  # the waiting pair counts: staff approved it
        ("introduced", 2, 40),  # Puebla's side waits with Dunhuang's, so nobody was written to
        ("accepted", 2, 40),
        ("partnership", 2, 40),
        ("activity", 2, 40),
    ]


def test_the_funnel_page_draws_the_chart_with_its_table_and_csv(series_world, staff_client):
    page = staff_client.get(URL)

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<figure class="chart"') == 1
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td><td class="num">(\d+%)</td>', html
    )
    assert rows == [
        ("Cities with a partnership interest", "3", "60%"),
        ("Proposed a partner", "4", "80%"),
        ("Approved by staff", "4", "80%"),
        ("Introduced (an e-mail sent)", "2", "40%"),
        ("Accepted an introduction", "2", "40%"),
        ("In a partnership", "2", "40%"),
        ("In a partnership with a joint activity", "2", "40%"),
    ]
    assert "Bar chart of 7 bars. The longest: Proposed a partner, 4 (80%)." in html
    assert 'href="?series=tsoc&amp;format=csv"' in html

    download = staff_client.get(URL, {"series": "tsoc", "format": "csv"})
    table = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert download["Content-Disposition"] == 'attachment; filename="funnel-tsoc.csv"'
    assert table[0] == ["series", "stage", "label", "cities", "share_percent", "cities_of_the_series"]
    assert table[-1] == ["tsoc", "activity", "In a partnership with a joint activity", "2", "40", "5"]


def test_the_funnel_page_reads_in_spanish_for_staff_who_chose_it(series_world, staff_client):
    staff_client.cookies["django_language"] = "es"

    html = staff_client.get(URL).content.decode()

    assert '<tr><th scope="row">Ciudades con un interés de alianza</th><td class="num">3</td>' in html
    assert "Cities with a partnership interest" not in html


def test_the_funnel_is_for_staff_who_may_view_partnerships(series_world, client, django_user_model):
    viewer = django_user_model.objects.create_user(username="viewer", password="x", is_staff=True)
    client.force_login(viewer)
    refused = client.get(URL)
    viewer.user_permissions.add(Permission.objects.get(codename="view_partnership"))
    allowed = client.get(URL)

    assert (refused.status_code, allowed.status_code) == (403, 200)
    assert client.get(URL, {"series": "no-such-series", "format": "csv"}).status_code == 404


def test_the_funnel_page_costs_the_same_queries_for_each_series(series_world, staff_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(URL).status_code == 200
        return len(captured)

    one = queries()
    WebinarSeries.objects.create(slug="second", title="Second", organiser=factories.organisation())
    two = queries()
    WebinarSeries.objects.create(slug="third", title="Third", organiser=factories.organisation())
    three = queries()

    assert three - two == two - one <= 10  # a constant number per series, whatever its cities
