"""Reads for pages that draw on several apps: the staff's work queue and the city map."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from cities.models import City, CityMembership, ReviewStatus
from partnerships import selectors as partnership_selectors
from partnerships.models import CheckIn, Invitation, Partnership, Proposal

from .maps import MapArc, MapPoint, map_point


@dataclass(frozen=True)
class QueueEntry:
    """One line of the staff's work queue: what awaits them, how many, and where to act on it."""

    label: str
    count: int
    url: str


def _may_view(user, model: type[Model]) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def _changelist(model: type[Model], query: str) -> str:
    opts = model._meta
    return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{query}"


def staff_work_queue(*, user) -> list[QueueEntry]:
    """What awaits the staff's review, in the order they should look at it: one entry per kind of
    work this user may see, with its count and the admin list that shows it. The admin's home page
    renders exactly these entries; a new kind of work is a new entry here."""
    if not (user.is_active and user.is_staff):
        return []
    now = timezone.now()
    days = partnership_selectors.unanswered_after_days()
    entries = [
        (
            CityMembership,
            gettext("Requests to act for a city"),
            CityMembership.objects.filter(status=CityMembership.Status.PENDING),
            "status__exact=pending",
        ),
        (
            City,
            gettext("Proposed cities and local authorities"),
            City.objects.filter(review_status=ReviewStatus.PENDING),
            "review_status__exact=pending",
        ),
        (
            Proposal,
            gettext("Partnership proposals awaiting review"),
            Proposal.objects.filter(status=Proposal.Status.PENDING),
            "status__exact=pending",
        ),
        (
            Proposal,
            gettext("Approved pairs waiting for a contact"),
            partnership_selectors.proposals_waiting_for_contact(),
            "status__exact=waiting",
        ),
        (
            Invitation,
            ngettext(
                "Introductions unanswered after %(days)d day",
                "Introductions unanswered after %(days)d days",
                days,
            )
            % {"days": days},
            partnership_selectors.introductions_unanswered(now=now, days=days),
            "follow_up=unanswered",
        ),
        (
            CheckIn,
            gettext("Check-ins due, not answered yet"),
            partnership_selectors.check_ins_due(now=now, days=days),
            "due=due",
        ),
        (
            CheckIn,
            ngettext(
                "Check-ins unanswered %(days)d day after their date",
                "Check-ins unanswered %(days)d days after their date",
                days,
            )
            % {"days": days},
            partnership_selectors.check_ins_overdue(now=now, days=days),
            "due=overdue",
        ),
        (
            Invitation,
            gettext("Invitations that failed to send"),
            Invitation.objects.filter(status=Invitation.Status.FAILED),
            "status__exact=failed",
        ),
    ]
    return [
        QueueEntry(label=label, count=rows.count(), url=_changelist(model, query))
        for model, label, rows, query in entries
        if _may_view(user, model)
    ]


def city_map(*, cities: Iterable[City]) -> tuple[list[MapPoint], list[MapArc]]:
    """The points of ``cities`` that have coordinates, and the arcs of the partnerships among them
    that are not closed. ``cities`` is already what the visitor may see (a directory selector)."""
    points: dict[int, MapPoint] = {}
    for city in cities:
        point = map_point(
            key=city.pk,
            label=city.display_name,
            latitude=city.latitude,
            longitude=city.longitude,
            url=reverse("cities:detail", args=[city.slug]),
            detail=city.country.display_name,
        )
        if point is not None:
            points[city.pk] = point
    partnerships = (
        Partnership.objects.filter(city_a_id__in=list(points), city_b_id__in=list(points))
        .filter(~Q(status=Partnership.Status.CLOSED))
        .only("city_a_id", "city_b_id")
        .order_by("formed_at", "id")
    )
    arcs = [
        MapArc(
            label=gettext("%(city)s and %(partner)s")
            % {"city": points[partnership.city_a_id].label, "partner": points[partnership.city_b_id].label},
            start=points[partnership.city_a_id],
            end=points[partnership.city_b_id],
        )
        for partnership in partnerships
    ]
    return list(points.values()), arcs


def partnership_map(*, partnerships: Iterable[Partnership]) -> tuple[list[MapPoint], list[MapArc]]:
    """The two cities of each of ``partnerships`` (already what the visitor may see, with their cities
    and countries selected) as points, and an arc for each; closed partnerships are left off, as on
    the directory's map."""
    points: dict[int, MapPoint] = {}
    arcs = []
    for partnership in partnerships:
        if partnership.status == Partnership.Status.CLOSED:
            continue
        ends = []
        for city in (partnership.city_a, partnership.city_b):
            if city.pk not in points:
                point = map_point(
                    key=city.pk,
                    label=city.display_name,
                    latitude=city.latitude,
                    longitude=city.longitude,
                    url=reverse("cities:detail", args=[city.slug]),
                    detail=city.country.display_name,
                )
                if point is None:
                    continue
                points[city.pk] = point
            ends.append(points[city.pk])
        if len(ends) == 2:
            arcs.append(
                MapArc(
                    label=gettext("%(city)s and %(partner)s")
                    % {"city": ends[0].label, "partner": ends[1].label},
                    start=ends[0],
                    end=ends[1],
                )
            )
    return list(points.values()), arcs
