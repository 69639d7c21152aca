"""The home page: the series, its webinars and their views."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_the_series_its_four_webinars_and_their_views(client, report_data):
    response = client.get(reverse("home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Travel South Over Cloud" in content
    assert '<span class="figure">1,026,000</span> views' in content
    assert (
        '<span class="figure">24</span> cities and local authorities from 11 countries showcased' in content
    )
    for number, views in [(1, "125,000"), (2, "115,000"), (3, "435,000"), (4, "351,000")]:
        assert f'<th scope="row">Webinar {number}</th><td class="num">{views}</td>' in content
    assert [w.number for w in response.context["series_list"]()[0].webinars] == [1, 2, 3, 4]  # read lazily
