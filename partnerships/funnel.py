"""The brokering funnel of a webinar series: of the cities the series reached, how many stated an
interest, were proposed, approved, introduced, accepted, formed a partnership, and did something with
it. Read by the staff's funnel page (chart, table, CSV). A constant number of queries per series.

The series' cities: those that spoke or were shown at one of its webinars (an agenda item, a good
practice of the webinar) or answered one of its surveys (a survey of the series or of one of its
webinars).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import GoodPractice
from surveys.models import Response
from webinars.models import AgendaItem, WebinarSeries

from .models import Interest, Invitation, JointActivity, Partnership, Proposal

STAGES = (
    ("interest", _("Cities with a partnership interest")),
    ("proposed", _("Proposed a partner")),
    ("approved", _("Approved by staff")),
    ("introduced", _("Introduced (an e-mail sent)")),
    ("accepted", _("Accepted an introduction")),
    ("partnership", _("In a partnership")),
    ("activity", _("In a partnership with a joint activity")),
)

# Proposals staff approved at some point (the approval stands, waits, or was answered).
_APPROVED_ONCE = [
    Proposal.Status.WAITING,
    Proposal.Status.APPROVED,
    Proposal.Status.ACCEPTED,
    Proposal.Status.DECLINED,
    Proposal.Status.EXPIRED,
]


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    count: int
    share: int  # percent of the series' cities


@dataclass(frozen=True)
class Funnel:
    series: WebinarSeries
    cities: int
    stages: list[FunnelStage]


def _series_cities(series: WebinarSeries) -> set[int]:
    webinar_ids = list(series.webinars.values_list("pk", flat=True))
    cities = set(
        AgendaItem.objects.filter(webinar_id__in=webinar_ids, city__isnull=False).values_list(
            "city_id", flat=True
        )
    )
    cities |= set(
        GoodPractice.objects.filter(webinar_id__in=webinar_ids, city__isnull=False).values_list(
            "city_id", flat=True
        )
    )
    cities |= set(
        Response.objects.filter(
            Q(survey__series=series) | Q(survey__webinar_id__in=webinar_ids), city__isnull=False
        ).values_list("city_id", flat=True)
    )
    return cities


def _pair_cities(rows) -> set[int]:
    return {city for pair in rows for city in pair}


def series_funnel(*, series: WebinarSeries) -> Funnel:
    cities = _series_cities(series)
    ids = sorted(cities)
    in_pair = Q(city_a_id__in=ids) | Q(city_b_id__in=ids)
    reached = {
        "interest": set(
            Interest.objects.filter(is_current=True, city_id__in=ids).values_list("city_id", flat=True)
        ),
        "proposed": _pair_cities(Proposal.objects.filter(in_pair).values_list("city_a_id", "city_b_id")),
        "approved": _pair_cities(
            Proposal.objects.filter(in_pair, status__in=_APPROVED_ONCE).values_list("city_a_id", "city_b_id")
        ),
        "introduced": set(
            Invitation.objects.filter(
                kind=Invitation.Kind.INTRODUCTION, sent_at__isnull=False, city_id__in=ids
            ).values_list("city_id", flat=True)
        ),
        "accepted": set(
            Invitation.objects.filter(
                kind=Invitation.Kind.INTRODUCTION, answer=Invitation.Answer.ACCEPTED, city_id__in=ids
            ).values_list("city_id", flat=True)
        ),
        "partnership": _pair_cities(
            Partnership.objects.filter(in_pair).values_list("city_a_id", "city_b_id")
        ),
        "activity": _pair_cities(
            Partnership.objects.filter(
                in_pair, pk__in=JointActivity.objects.values("partnership_id")
            ).values_list("city_a_id", "city_b_id")
        ),
    }
    total = len(cities)
    stages = []
    for key, label in STAGES:
        count = len(reached[key] & cities)
        stages.append(
            FunnelStage(
                key=key, label=str(label), count=count, share=round(100 * count / total) if total else 0
            )
        )
    return Funnel(series=series, cities=total, stages=stages)


def funnel_rows(funnel: Funnel) -> list[list]:
    """The funnel as CSV rows, the header first."""
    return [
        ["series", "stage", "label", "cities", "share_percent", "cities_of_the_series"],
        *[
            [funnel.series.slug, stage.key, stage.label, stage.count, stage.share, funnel.cities]
            for stage in funnel.stages
        ],
    ]
