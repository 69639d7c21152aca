import pytest

from partnerships.interests import interest_record
from partnerships.models import Interest
from partnerships.selectors import interest_history
from tests import factories

pytestmark = pytest.mark.django_db


def test_recording_an_interest_supersedes_the_current_one_and_keeps_history():
    city = factories.city(name="Morelia")
    luoyang = factories.city(name="Luoyang")
    anyang = factories.city(name="Anyang")

    first = interest_record(city=city, source=Interest.Source.SURVEY, partner_cities=[luoyang])
    second = interest_record(city=city, source=Interest.Source.WEB_FORM, partner_cities=[anyang, city])

    history = list(interest_history(city=city))
    assert [interest.pk for interest in history] == [second.pk, first.pk]
    assert [interest.is_current for interest in history] == [True, False]
    assert history[1].superseded_at is not None
    assert [c.name for c in history[0].partner_cities.all()] == ["Anyang"]
    assert [c.name for c in history[1].partner_cities.all()] == ["Luoyang"]
