"""The "About the data" page: how the portal's first data set was made from the report, and every
decision taken where the report is silent or contradicts itself. Linked from every page's footer and
from every record marked as reconstructed."""

from django.shortcuts import render

from .selectors import data_set_decisions


def about_data(request):
    return render(request, "report/about_data.html", {"decisions": data_set_decisions()})
