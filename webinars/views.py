import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from travelsouth.i18n import localized
from travelsouth.pages import public_page
from travelsouth.spreadsheets import safe_cell

from . import selectors
from .models import Webinar, WebinarSeries


@public_page
def webinar_list(request):
    webinars = list(selectors.webinar_list())
    return render(
        request,
        "webinars/webinar_list.html",
        {"webinars": webinars, "total_views": sum(webinar.total_views for webinar in webinars)},
    )


@public_page
def series_detail(request, slug):
    try:
        overview = selectors.series_detail(slug=slug)
    except WebinarSeries.DoesNotExist:
        raise Http404 from None
    return render(request, "webinars/series_detail.html", {"overview": overview, "series": overview.series})


@public_page
def webinar_detail(request, slug):
    try:
        webinar = selectors.webinar_detail(slug=slug)
    except Webinar.DoesNotExist:
        raise Http404 from None
    return render(request, "webinars/webinar_detail.html", {"webinar": webinar})


def views_csv(request):
    """Views per webinar as CSV (the figures of the views charts); ``?series=<slug>`` for one series."""
    series = WebinarSeries.objects.filter(slug=request.GET.get("series", "")).first()
    if request.GET.get("series") and series is None:
        raise Http404
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")  # Excel reads UTF-8 with it
    writer.writerow(
        [gettext("Series"), gettext("Webinar"), gettext("Title"), gettext("Broadcast"), gettext("Views")]
    )
    for webinar in selectors.webinar_list(series=series):
        writer.writerow(
            [
                safe_cell(localized(webinar.series, "title")),
                webinar.number,
                safe_cell(localized(webinar, "title")),
                webinar.display_broadcast_date,
                webinar.total_views,
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"{series.slug}-views.csv" if series else "webinar-views.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
