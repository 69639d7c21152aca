import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cities.models import GoodPractice
from partnerships.models import Interest
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_city_has_at_most_one_current_interest():
    city = factories.city()
    Interest.objects.create(city=city, source=Interest.Source.STAFF)

    with pytest.raises(IntegrityError), transaction.atomic():
        Interest.objects.create(city=city, source=Interest.Source.WEB_FORM)

    Interest.objects.filter(city=city).update(is_current=False, superseded_at=timezone.now())
    Interest.objects.create(city=city, source=Interest.Source.WEB_FORM)
    assert list(Interest.objects.filter(city=city).values_list("is_current", flat=True).order_by("id")) == [
        False,
        True,
    ]


def test_good_practice_belongs_to_a_city_or_an_organisation_not_both():
    city = factories.city()
    organisation = factories.organisation()

    with pytest.raises(IntegrityError), transaction.atomic():
        GoodPractice.objects.create(
            slug="both", title="Both", summary="-", city=city, organisation=organisation
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        GoodPractice.objects.create(slug="neither", title="Neither", summary="-")

    assert GoodPractice.objects.count() == 0
