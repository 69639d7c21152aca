"""Reads for webinars: series, their webinars with view totals, agendas."""

from django.db.models import Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cities.selectors import published_good_practices

from .models import AgendaItem, ViewCount, Webinar, WebinarSeries


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
    """The webinar with its agenda (speakers, their cities and organisations) and view counts."""
    agenda = AgendaItem.objects.select_related(
        "speaker__city", "speaker__organisation", "moderator", "city__country", "organisation"
    ).order_by("order")
    return (
        webinar_list()
        .prefetch_related(
            Prefetch("agenda_items", queryset=agenda),
            Prefetch("view_counts", queryset=current_view_counts().order_by("platform")),
            Prefetch("good_practices", queryset=published_good_practices().order_by("title")),
            "organising_partners",
        )
        .get(slug=slug)
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


def api_webinar_details() -> QuerySet[Webinar]:
    """As the list, plus the agenda: speakers and moderators with their cities and organisations."""
    agenda = AgendaItem.objects.select_related(
        "speaker__city",
        "speaker__organisation",
        "moderator__city",
        "moderator__organisation",
        "city",
        "organisation",
    ).order_by("order")
    return api_webinar_list().prefetch_related(Prefetch("agenda_items", queryset=agenda))
