"""Reads for webinars: series, their webinars with view totals, agendas, and the report's quotes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from cities.models import City, Country, ReviewStatus
from cities.selectors import published_good_practices

from .models import AgendaItem, Quote, QuoteSpeaker, ViewCount, Webinar, WebinarSeries


def current_view_counts() -> QuerySet[ViewCount]:
    """Each platform's latest count: a newer report of the same platform replaces, never adds."""
    newer = ViewCount.objects.filter(
        webinar=OuterRef("webinar"), platform=OuterRef("platform"), as_of__gt=OuterRef("as_of")
    )
    return ViewCount.objects.filter(~Exists(newer))


def _total_views_of(webinar_ref: OuterRef) -> Coalesce:
    totals = (
        current_view_counts()
        .filter(webinar=webinar_ref)
        .order_by()
        .values("webinar")
        .annotate(total=Sum("views"))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


def webinar_list(*, series: WebinarSeries | None = None) -> QuerySet[Webinar]:
    webinars = Webinar.objects.select_related("series").annotate(total_views=_total_views_of(OuterRef("pk")))
    if series is not None:
        webinars = webinars.filter(series=series)
    return webinars.prefetch_related("languages").order_by("series", "number")


def series_list() -> QuerySet[WebinarSeries]:
    totals = (
        current_view_counts()
        .filter(webinar__series=OuterRef("pk"))
        .order_by()
        .values("webinar__series")
        .annotate(total=Sum("views"))
        .values("total")
    )
    return (
        WebinarSeries.objects.select_related("organiser")
        .annotate(total_views=Coalesce(Subquery(totals, output_field=IntegerField()), Value(0)))
        .prefetch_related(Prefetch("webinars", queryset=webinar_list()), "partners")
        .order_by("-starts_on")
    )


def webinar_detail(*, slug: str) -> Webinar:
    """The webinar with its agenda (speakers, their cities and organisations), view counts, good
    practices and the report's quotes (``webinar.quotes``, in the report's order)."""
    agenda = AgendaItem.objects.select_related(
        "speaker__city", "speaker__organisation", "moderator", "city__country", "organisation"
    ).order_by("order")
    return (
        webinar_list()
        .prefetch_related(
            Prefetch("agenda_items", queryset=agenda),
            Prefetch("view_counts", queryset=current_view_counts().order_by("platform")),
            Prefetch("good_practices", queryset=published_good_practices().order_by("title")),
            Prefetch("quotes", queryset=quote_list()),
            "organising_partners",
        )
        .get(slug=slug)
    )


# --- The report's quotes ----------------------------------------------------------------------------

# The report prints its opening messages first, then each webinar's highlights, then its concluding
# remarks.
SECTION_ORDER = Case(
    *(
        When(section=section, then=Value(rank))
        for rank, section in enumerate(
            [Quote.Section.OPENING_MESSAGES, Quote.Section.HIGHLIGHTS, Quote.Section.CONCLUDING_REMARKS]
        )
    ),
    output_field=IntegerField(),
)


def quote_list() -> QuerySet[Quote]:
    """Quotes in the report's order, with their webinar, city and speakers (``quote.attributions``)."""
    attributions = QuoteSpeaker.objects.select_related("person").order_by("order")
    return (
        Quote.objects.select_related("webinar__series", "city", "language")
        .prefetch_related(Prefetch("attributions", queryset=attributions))
        .annotate(section_rank=SECTION_ORDER)
        .order_by("section_rank", "webinar__number", "position", "id")
    )


def quotes_for_city(*, city: City) -> QuerySet[Quote]:
    """What the city's officials are quoted as saying in the report."""
    return quote_list().filter(city=city)


def quotes_mentioning(*, city: City) -> QuerySet[Quote]:
    """Quotes by others that name the city (in their words or in the role printed with them)."""
    return quote_list().filter(
        pk__in=Quote.cities_mentioned.through.objects.filter(city=city).values("quote")
    )


# --- A series as the report states it ---------------------------------------------------------------


@dataclass(frozen=True)
class CountryTakingPart:
    """A country of the series: its cities and local authorities in the report's list of those that
    showcased good practices, and those that presented on an agenda without being in that list."""

    country: Country
    listed: tuple[City, ...]
    also_presented: tuple[City, ...]


@dataclass(frozen=True)
class SeriesOverview:
    """What the report states about a series: its webinars, organiser, partners and months (on
    ``series``), the cities and local authorities that presented, by country, and the ids of the data
    set's decisions about it (``report.Decision``; on the series page only), for the pages' notes."""

    series: WebinarSeries
    countries: tuple[CountryTakingPart, ...]
    decision_ids: frozenset[str]
    series_quotes: tuple[Quote, ...] = ()

    @property
    def webinars(self) -> list[Webinar]:
        return list(self.series.webinars.all())

    @property
    def broadcast_span(self) -> str:
        """The months of its first and last webinars, as their titles give them: "August 2020 to January 2021"."""
        webinars = self.webinars
        if not webinars:
            return ""
        first, last = webinars[0].display_broadcast_date, webinars[-1].display_broadcast_date
        return first if first == last else gettext("%(start)s to %(end)s") % {"start": first, "end": last}

    @property
    def showcased_cities(self) -> list[City]:
        return [city for country in self.countries for city in country.listed]

    @property
    def presented_outside_the_list(self) -> list[City]:
        return [city for country in self.countries for city in country.also_presented]


def _overviews(series_rows: list[WebinarSeries], *, with_decisions: bool) -> list[SeriesOverview]:
    """Overviews of the series in one query more, whatever their number: the cities on their agendas
    (the listed ones are those flagged as showcased in the series)."""
    cities_of: dict[int, list[City]] = {}
    for city in (
        City.objects.filter(
            review_status=ReviewStatus.APPROVED, agenda_items__webinar__series__in=series_rows
        )
        .annotate(series_id=F("agenda_items__webinar__series_id"))
        .select_related("country")
        .distinct()
    ):
        cities_of.setdefault(city.series_id, []).append(city)
    overviews = []
    for series in series_rows:
        taking_part = sorted(cities_of.get(series.pk, []), key=lambda city: city.display_name)
        countries = sorted({city.country for city in taking_part}, key=lambda country: country.display_name)
        by_country = tuple(
            CountryTakingPart(
                country=country,
                listed=tuple(c for c in taking_part if c.country_id == country.pk and c.showcased_in_series),
                also_presented=tuple(
                    c for c in taking_part if c.country_id == country.pk and not c.showcased_in_series
                ),
            )
            for country in countries
        )
        decision_ids = (
            frozenset(decision.slug for decision in series.data_decisions.all())
            if with_decisions
            else frozenset()
        )
        overviews.append(SeriesOverview(series=series, countries=by_country, decision_ids=decision_ids))
    return overviews


def series_overviews() -> list[SeriesOverview]:
    """Every series as the home page summarises it (without the data set's decisions). Five queries,
    whatever the number of series."""
    return _overviews(list(series_list()), with_decisions=False)


def series_detail(*, slug: str) -> SeriesOverview:
    """The series page: its overview, and the report's opening messages and concluding remarks.
    Raises ``WebinarSeries.DoesNotExist``."""
    series = series_list().select_related("organiser__country").prefetch_related("data_decisions")
    [overview] = _overviews([series.get(slug=slug)], with_decisions=True)
    quotes = quote_list().filter(webinar__series=overview.series).exclude(section=Quote.Section.HIGHLIGHTS)
    return SeriesOverview(
        series=overview.series,
        countries=overview.countries,
        decision_ids=overview.decision_ids,
        series_quotes=tuple(quotes),
    )


def webinars_presented_by(*, city) -> QuerySet[Webinar]:
    """The webinars where someone spoke for ``city`` (an agenda item represents it), in broadcast order."""
    presented = AgendaItem.objects.filter(city=city).values("webinar")
    return webinar_list().filter(pk__in=presented).order_by("broadcast_on", "number")


# --- Read API (webinars/api/) ---------------------------------------------------------------------


def api_webinar_list() -> QuerySet[Webinar]:
    """Webinars with their languages, organising partners and each platform's current view count."""
    return webinar_list().prefetch_related(
        Prefetch("view_counts", queryset=current_view_counts().order_by("platform")),
        "organising_partners",
    )


def api_quote_list() -> QuerySet[Quote]:
    """Quotes with their webinar, city, the cities they mention and their speakers' people."""
    attributions = QuoteSpeaker.objects.select_related("person__city", "person__organisation").order_by(
        "order"
    )
    return Quote.objects.select_related("webinar", "city", "language").prefetch_related(
        Prefetch("attributions", queryset=attributions),
        Prefetch("cities_mentioned", queryset=City.objects.order_by("name")),
    )


def api_webinar_details() -> QuerySet[Webinar]:
    """As the list, plus the agenda (speakers and moderators with their cities and organisations) and
    the report's quotes."""
    agenda = AgendaItem.objects.select_related(
        "speaker__city",
        "speaker__organisation",
        "moderator__city",
        "moderator__organisation",
        "city",
        "organisation",
    ).order_by("order")
    quotes = api_quote_list().annotate(section_rank=SECTION_ORDER).order_by("section_rank", "position", "id")
    return api_webinar_list().prefetch_related(
        Prefetch("agenda_items", queryset=agenda), Prefetch("quotes", queryset=quotes)
    )
