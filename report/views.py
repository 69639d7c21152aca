"""The data set's pages: "About the data" (how the portal's first data set was made from the report,
and every decision taken where the report is silent or contradicts itself; linked from every page's
footer and from every record marked as reconstructed) and each decision's own page."""

from django.http import Http404
from django.shortcuts import render

from travelsouth.pages import public_page

from . import selectors
from .models import Decision


@public_page
def about_data(request):
    return render(request, "report/about_data.html", {"decisions": list(selectors.decision_list())})


@public_page
def decision_detail(request, slug):
    try:
        decision = selectors.decision_detail(slug=slug)
    except Decision.DoesNotExist:
        raise Http404 from None
    return render(request, "report/decision_detail.html", {"decision": decision})
