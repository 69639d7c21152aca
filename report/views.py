from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Decision


def decision_detail(request, slug):
    try:
        decision = selectors.decision_detail(slug=slug)
    except Decision.DoesNotExist:
        raise Http404 from None
    return render(request, "report/decision_detail.html", {"decision": decision})
