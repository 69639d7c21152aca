import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys.models import Response, Survey
from tests import factories
from webinars.models import Webinar, WebinarSeries

pytestmark = pytest.mark.django_db


def make_survey() -> Survey:
    series = WebinarSeries.objects.create(
        slug="series", title="Series", organiser=factories.organisation(name="UNOSSC")
    )
    webinar = Webinar.objects.create(
        series=series, number=1, slug="webinar-1", title="Webinar", broadcast_on=dt.date(2021, 1, 1)
    )
    opens = timezone.now()
    return Survey.objects.create(
        slug="survey",
        title="Survey",
        webinar=webinar,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=30),
    )


def test_second_response_of_the_same_respondent_is_rejected_by_the_database():
    survey = make_survey()
    respondent = factories.person()
    Response.objects.create(survey=survey, respondent=respondent, submitted_at=timezone.now())

    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, respondent=respondent, submitted_at=timezone.now())

    assert Response.objects.filter(survey=survey, respondent=respondent).count() == 1


def test_survey_must_close_after_it_opens():
    survey = make_survey()

    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(closes_at=survey.opens_at - dt.timedelta(days=1))
