"""The world map: Equal Earth geometry, cities as focusable points, partnerships as arcs, the list
alternative, and the directory's filters applied to it."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from partnerships.lifecycle import partnership_status_change
from partnerships.models import Partnership, Proposal
from portal.maps import FRAME, MapArc, equal_earth, map_point
from tests import factories
from tests.partnerships.invitations.builders import formed_partnership

pytestmark = pytest.mark.django_db


def test_the_frame_puts_the_equator_meridian_in_the_middle_and_the_antimeridian_at_the_edges():
    assert FRAME.place(0, 0)[0] == FRAME.width / 2
    assert FRAME.place(0, -180)[0] == 0
    assert FRAME.place(0, 180)[0] == FRAME.width
    assert FRAME.place(FRAME.north, 0)[1] == 0
    assert FRAME.place(FRAME.south, 0)[1] == pytest.approx(FRAME.height, abs=0.5)


def test_equal_earth_keeps_north_and_south_symmetric():
    north, south = equal_earth(30, 60), equal_earth(-30, 60)

    assert north[0] == pytest.approx(south[0])
    assert north[1] == pytest.approx(-south[1])


def test_a_place_without_coordinates_is_left_off_the_map():
    assert map_point(key=1, label="Nowhere", latitude=None, longitude=Decimal("1")) is None


def test_an_arc_bows_towards_the_top_whichever_way_it_runs():
    west = map_point(key=1, label="Morelia", latitude=19.7, longitude=-101.2)
    east = map_point(key=2, label="Luoyang", latitude=34.6, longitude=112.4)

    paths = [MapArc(label="", start=west, end=east).path, MapArc(label="", start=east, end=west).path]

    control_ys = [float(re.search(r"Q[\d.]+ ([\d.]+)", path).group(1)) for path in paths]
    assert all(y < min(west.y, east.y) for y in control_ys)
    assert paths[0].startswith(f"M{west.x:.1f} {west.y:.1f}Q")


def test_the_world_map_tag_draws_points_arcs_and_their_list():
    morelia = map_point(key=1, label="Morelia", latitude=19.7, longitude=-101.2, url="/cities/morelia/")
    luoyang = map_point(key=2, label="Luoyang", latitude=34.6, longitude=112.4, url="/cities/luoyang/")
    arc = MapArc(label="Morelia and Luoyang", start=morelia, end=luoyang)
    request = RequestFactory().get("/")

    html = Template("{% load portal %}{% world_map points arcs 'Cities' %}").render(
        Context({"points": [morelia, luoyang], "arcs": [arc], "request": request})
    )

    assert re.findall(r'<a class="point" href="([^"]+)" aria-label="([^"]+)"', html) == [
        ("/cities/morelia/", "Morelia"),
        ("/cities/luoyang/", "Luoyang"),
    ]
    assert html.count('<path class="arc"') == 1
    assert '<image href="/static/map/world.svg"' in html
    list_part = html[html.index('<details class="map-list">') :]
    assert re.findall(r"<li>(?:<a [^>]+>)?([^<]+)", list_part) == [
        "Morelia",
        "Luoyang",
        "Morelia and Luoyang",
    ]


@pytest.fixture
def partnered_cities():
    mexico, china = factories.country(), factories.country(iso_code="CN", name="China")
    morelia = factories.city(
        name="Morelia", country_=mexico, latitude=Decimal("19.70"), longitude=Decimal("-101.19")
    )
    luoyang = factories.city(
        name="Luoyang", country_=china, latitude=Decimal("34.62"), longitude=Decimal("112.45")
    )
    dunhuang = factories.city(
        name="Dunhuang", country_=china, latitude=Decimal("40.14"), longitude=Decimal("94.66")
    )
    puebla = factories.city(
        name="Puebla", country_=mexico, latitude=Decimal("19.04"), longitude=Decimal("-98.21")
    )
    factories.city(name="Unplaced", country_=mexico)

    def partnership(first, second):
        city_a, city_b = sorted([first, second], key=lambda city: city.pk)
        proposal = Proposal.objects.create(city_a=city_a, city_b=city_b)
        return formed_partnership(proposal)

    partnership(morelia, luoyang)
    partnership(puebla, dunhuang)
    closed = partnership(morelia, dunhuang)
    staff = factories.user(email="broker@unossc.example")
    partnership_status_change(partnership=closed, status=Partnership.Status.CLOSED, by=staff)
    return {"mexico": mexico, "china": china}


def map_of(html: str) -> str:
    return html[
        html.index('<figure class="map"') : html.index("</figure>", html.index('<figure class="map"'))
    ]


def test_the_directory_maps_every_placed_city_and_the_partnerships_that_are_not_closed(
    client, partnered_cities
):
    html = map_of(client.get(reverse("cities:list")).content.decode())

    assert re.findall(r'<a class="point" href="[^"]+" aria-label="([^"]+)"', html) == [
        "Dunhuang, China",
        "Luoyang, China",
        "Morelia, Mexico",
        "Puebla, Mexico",
    ]
    assert re.findall(r'<path class="arc" d="[^"]+"><title>([^<]+)</title>', html) == [
        "Morelia and Luoyang",
        "Dunhuang and Puebla",
    ]


def test_the_directory_filters_apply_to_the_map(client, partnered_cities):
    html = map_of(
        client.get(reverse("cities:list"), {"country": partnered_cities["china"].pk}).content.decode()
    )

    # Only Chinese cities: no partnership has both its cities among them.
    assert re.findall(r'aria-label="([^"]+)" transform', html) == ["Dunhuang, China", "Luoyang, China"]
    assert '<path class="arc"' not in html


def test_the_map_shows_the_cities_of_every_page_not_only_the_first(client):
    mexico = factories.country()
    for number in range(30):
        factories.city(
            name=f"Town {number:02}", country_=mexico, latitude=Decimal("19"), longitude=Decimal("-99")
        )

    response = client.get(reverse("cities:list"))

    assert len(response.context["cities"]) == 24
    assert map_of(response.content.decode()).count('<a class="point"') == 30


def test_the_partnerships_page_maps_each_partnership_that_is_not_closed(
    client, partnered_cities, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        html = client.get(reverse("partnerships:list")).content.decode()

    drawn = map_of(html)
    assert re.findall(r'<a class="point" href="[^"]+" aria-label="([^"]+)"', drawn) == [
        "Dunhuang, China",
        "Puebla, Mexico",
        "Morelia, Mexico",
        "Luoyang, China",
    ]
    assert re.findall(r'<path class="arc" d="[^"]+"><title>([^<]+)</title>', drawn) == [
        "Dunhuang and Puebla",
        "Morelia and Luoyang",
    ]
    assert html.count('<li class="card">') == 3  # the closed one is listed, not drawn
