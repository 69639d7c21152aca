from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import City

CITIES_PER_PAGE = 24


def city_list(request):
    page = Paginator(selectors.public_city_list(), CITIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cities/city_list.html", {"page": page, "cities": page.object_list})


def city_detail(request, slug):
    try:
        city = selectors.public_city_detail(slug=slug)
    except City.DoesNotExist:
        raise Http404 from None
    return render(request, "cities/city_detail.html", {"city": city})
