import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from webinars.models import ViewCount, Webinar, WebinarSeries

pytestmark = pytest.mark.django_db


def test_webinar_page_shows_the_agenda_with_speakers_and_affiliations(client, report_data):
    with translation.override("en"):
        url = reverse("webinars:detail", args=["webinar-4-china-mexico"])

    response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert "China-Mexico South-South Experience Exchange" in content
    assert "Dapeng Hu" in content
    assert "Director of Bureau of Culture, Radio, Television, and Tourism, Luoyang, China" in content
    assert "Moderator: Muriel Obon" in content
    assert "351,000" in content
    assert [
        item.speaker.full_name
        for item in response.context["webinar"].agenda_items.all()
        if item.kind == "insight"
    ] == [
        "Xin Li",
        "Qing Mei",
    ]


def test_unknown_webinar_is_a_404(client, db):
    response = client.get("/webinars/no-such-webinar/")

    assert response.status_code == 404


def test_total_views_count_only_the_latest_figure_per_platform(db):
    series = WebinarSeries.objects.create(slug="s", title="S", organiser=factories.organisation())
    webinar = Webinar.objects.create(series=series, number=1, slug="w", title="W", broadcast_on="2021-01-01")
    ViewCount.objects.create(webinar=webinar, platform="YouTube", views=100, source="s", as_of="2021-01-10")
    ViewCount.objects.create(webinar=webinar, platform="YouTube", views=150, source="s", as_of="2021-02-10")
    ViewCount.objects.create(webinar=webinar, platform="Weibo", views=40, source="s", as_of="2021-01-10")

    from webinars.selectors import webinar_list

    assert [w.total_views for w in webinar_list()] == [190]


def make_series_with_webinars(count: int) -> None:
    series = WebinarSeries.objects.create(slug="series", title="Series", organiser=factories.organisation())
    for number in range(1, count + 1):
        webinar = Webinar.objects.create(
            series=series,
            number=number,
            slug=f"webinar-{number}",
            title=f"Webinar {number}",
            broadcast_on="2021-01-01",
        )
        webinar.languages.set([factories.language()])
        ViewCount.objects.create(
            webinar=webinar, platform="All", views=number, source="s", as_of="2021-01-10"
        )


@pytest.mark.parametrize("count", [1, 30])
def test_home_and_webinar_list_queries_do_not_grow_with_webinars(
    client, django_assert_max_num_queries, count
):
    make_series_with_webinars(count)

    # The home page's figures, series, webinars, views, latest practices and latest partnerships.
    with django_assert_max_num_queries(9):
        home = client.get(reverse("home"))
    with django_assert_max_num_queries(6):
        listing = client.get(reverse("webinars:list"))

    assert len(home.context["series_list"]()[0].webinars) == count  # read lazily
    assert len(listing.context["webinars"]) == count
