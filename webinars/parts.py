"""The part a city or a good practice plays in the series, read from the agendas and the quotes.

Never stored: it follows what the agendas and the report's quotes say (the data set's decision
``city-parts``). A city or local authority *presented* when someone speaks for it on an agenda; it was
*quoted* when, without that, one of its officials is quoted; it was *mentioned* when a quote, or the
role printed with one, names it. A good practice was *presented* at its webinar when its speaker
spoke for its city or organisation on that webinar's agenda, *quoted* when its speaker is quoted in
that webinar for its city, and *cited* otherwise (someone speaking for another named it).

Each function returns an expression for a queryset of cities or of good practices: the part costs
no query of its own.
"""

from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.expressions import Case, When
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Quote, QuoteSpeaker


class CityPart(models.TextChoices):
    PRESENTED = "presented", _("Presented")
    QUOTED = "quoted", _("Quoted")
    MENTIONED = "mentioned", _("Mentioned")
    NONE = "", _("Not named in the series")


class PracticePart(models.TextChoices):
    PRESENTED = "presented", _("Presented")
    QUOTED = "quoted", _("Quoted in the highlights")
    CITED = "cited", _("Cited")
    NONE = "", _("Not from a webinar")


def practice_presented() -> Exists:
    """On good practices: its speaker spoke on its webinar's agenda for its city (or organisation)."""
    return Exists(
        AgendaItem.objects.filter(webinar=OuterRef("webinar"), speaker=OuterRef("speaker")).filter(
            Q(city=OuterRef("city")) | Q(city__isnull=True, organisation=OuterRef("organisation"))
        )
    )


def practice_quoted() -> Exists:
    """On good practices: its speaker is quoted in its webinar for its city."""
    return Exists(
        QuoteSpeaker.objects.filter(
            quote__webinar=OuterRef("webinar"), person=OuterRef("speaker"), quote__city=OuterRef("city")
        )
    )


def practice_part() -> Case:
    """On good practices: "presented", "quoted", "cited", or "" when it has no webinar."""
    return Case(
        When(webinar__isnull=True, then=Value(PracticePart.NONE)),
        When(practice_presented(), then=Value(PracticePart.PRESENTED)),
        When(practice_quoted(), then=Value(PracticePart.QUOTED)),
        default=Value(PracticePart.CITED),
        output_field=CharField(),
    )


def city_part() -> Case:
    """On cities: "presented", "quoted", "mentioned", or "" when the series does not name it."""
    return Case(
        When(Exists(AgendaItem.objects.filter(city=OuterRef("pk"))), then=Value(CityPart.PRESENTED)),
        When(Exists(Quote.objects.filter(city=OuterRef("pk"))), then=Value(CityPart.QUOTED)),
        When(
            Exists(Quote.cities_mentioned.through.objects.filter(city=OuterRef("pk"))),
            then=Value(CityPart.MENTIONED),
        ),
        default=Value(CityPart.NONE),
        output_field=CharField(),
    )
