"""Components every page may use: accessible SVG bar charts and the world map.

``{% bar_chart %}`` draws rows (``portal.charts.ChartRow``) with their data table behind "Show the
data" and a CSV link; ``{% world_map %}`` draws points and arcs (``portal.maps``) with a list of them.
"""

from itertools import count
from urllib.parse import urlencode

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from portal import charts, maps

register = template.Library()

_fallback_ids = count(1)


def _figure_id(context, prefix: str) -> str:
    """An id unique within the page: counted per request, so a page renders the same every time."""
    request = context.get("request")
    if request is None:
        return f"{prefix}-{next(_fallback_ids)}"
    number = getattr(request, "_portal_figures", 0) + 1
    request._portal_figures = number
    return f"{prefix}-{number}"


@register.inclusion_tag("includes/bar_chart.html", takes_context=True)
def bar_chart(context, caption, rows, label_heading, *column_headings, csv_url=""):
    """A bar chart of ``rows``; the table behind it has ``label_heading`` then ``column_headings``."""
    rows = list(rows)
    drawn = charts.layout(rows)
    if drawn.highest is None:
        description = ngettext(
            "Bar chart of %(count)d bar, all at zero.", "Bar chart of %(count)d bars, all at zero.", len(rows)
        ) % {"count": len(rows)}
    else:
        description = ngettext(
            "Bar chart of %(count)d bar. The longest: %(label)s, %(value)s.",
            "Bar chart of %(count)d bars. The longest: %(label)s, %(value)s.",
            len(rows),
        ) % {"count": len(rows), "label": drawn.highest.label, "value": drawn.highest.value_text}
    return {
        "chart_id": _figure_id(context, "chart"),
        "caption": caption,
        "description": description,
        "chart": drawn,
        "rows": rows,
        "label_heading": label_heading,
        "column_headings": column_headings,
        "csv_url": csv_url,
    }


@register.simple_tag
def query_url(viewname, *args, **query):
    """``reverse(viewname, args)`` with ``query`` as its query string, leaving out empty values:
    ``{% query_url 'surveys:export_results' survey.slug question=3 country=country.iso_code %}``."""
    kept = {name: value for name, value in query.items() if value not in (None, "")}
    url = reverse(viewname, args=args)
    return f"{url}?{urlencode(kept)}" if kept else url


@register.simple_tag
def tally_rows(tallies):
    """A survey question's tallies as chart rows: respondents, and their share."""
    return [
        charts.ChartRow(
            label=tally.label,
            value=tally.count,
            value_text=f"{intcomma(tally.count)} ({tally.percent}%)",
            cells=(intcomma(tally.count), f"{tally.percent}%"),
        )
        for tally in tallies
    ]


@register.simple_tag
def funnel_chart_rows(stages):
    """A brokering funnel's stages (partnerships.funnel.FunnelStage) as chart rows: cities, and their
    share of the series' cities."""
    return [
        charts.ChartRow(
            label=stage.label,
            value=stage.count,
            value_text=f"{intcomma(stage.count)} ({stage.share}%)",
            cells=(intcomma(stage.count), f"{stage.share}%"),
        )
        for stage in stages
    ]


@register.simple_tag
def webinar_view_rows(webinars):
    """Webinars (annotated with ``total_views``) as chart rows: one bar per webinar."""
    rows = []
    for webinar in webinars:
        views = intcomma(webinar.total_views)
        rows.append(
            charts.ChartRow(
                label=gettext("Webinar %(number)s") % {"number": webinar.number},
                value=webinar.total_views,
                value_text=views,
                cells=(views,),
            )
        )
    return rows


@register.inclusion_tag("includes/world_map.html", takes_context=True)
def world_map(context, points, arcs=(), caption=""):
    """The world with ``points`` (``maps.MapPoint``) and ``arcs`` (``maps.MapArc``) between them."""
    points = list(points)
    arcs = list(arcs)
    return {
        "map_id": _figure_id(context, "map"),
        "caption": caption,
        "frame": maps.FRAME,
        "points": points,
        "arcs": arcs,
    }


@register.simple_tag
def directory_map(cities):
    """The points and arcs for a list of cities (the directory's filtered cities, not only a page of
    them): ``{% directory_map all_cities as map %}{% world_map map.0 map.1 caption %}``. A tag, so that
    the cities app's pages need not import the portal."""
    from portal.selectors import city_map

    return city_map(cities=cities)


@register.simple_tag
def partnerships_map(partnerships):
    """The points and arcs of a list of partnerships: ``{% partnerships_map partnerships as map %}``."""
    from portal.selectors import partnership_map

    return partnership_map(partnerships=partnerships)
