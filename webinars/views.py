from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Webinar, WebinarSeries


def webinar_list(request):
    webinars = list(selectors.webinar_list())
    return render(
        request,
        "webinars/webinar_list.html",
        {"webinars": webinars, "total_views": sum(webinar.total_views for webinar in webinars)},
    )


def series_detail(request, slug):
    try:
        overview = selectors.series_detail(slug=slug)
    except WebinarSeries.DoesNotExist:
        raise Http404 from None
    return render(request, "webinars/series_detail.html", {"overview": overview, "series": overview.series})


def webinar_detail(request, slug):
    try:
        webinar = selectors.webinar_detail(slug=slug)
    except Webinar.DoesNotExist:
        raise Http404 from None
    return render(request, "webinars/webinar_detail.html", {"webinar": webinar})
