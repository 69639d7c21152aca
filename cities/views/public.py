"""Public pages: the city directory, a city's page, the good practice library and a practice's page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from travelsouth.pages import public_page, versioned
from webinars.selectors import quotes_for_city, quotes_mentioning, webinars_presented_by

from .. import selectors
from ..forms import CityFilterForm, GoodPracticeFilterForm
from ..models import City, GoodPractice
from ..permissions import can_edit_city

CITIES_PER_PAGE = 24
PRACTICES_PER_PAGE = 20
MAP_CITIES = 500
# The library pages its first 2,000 practices (100 pages); past them a visitor narrows it with the
# filters. A page's cost grows with its depth (the index entries skipped before it): bounded, the
# deepest page costs what page 1 costs.
LIBRARY_PAGES = 100


class _CountedPaginator(Paginator):
    """A paginator told its count (kept per data version) and showing at most ``max_pages`` pages."""

    def __init__(self, object_list, per_page, *, count: int, max_pages: int | None = None):
        super().__init__(object_list, per_page)
        self._count = count
        self.max_pages = max_pages

    @property
    def count(self) -> int:
        return self._count

    @property
    def num_pages(self) -> int:
        pages = super().num_pages
        return pages if self.max_pages is None else min(pages, self.max_pages)

    @property
    def bounded(self) -> bool:
        return self.max_pages is not None and super().num_pages > self.max_pages


def _query_without_page(request) -> str:
    """The list's filters as a query string, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@public_page
def city_list(request):
    form = CityFilterForm(request.GET or None)
    cities = selectors.city_directory(**form.filters())
    # Paging over ids alone: a deep page skips index entries, not rows with their details.
    page = Paginator(cities.values_list("pk", flat=True), CITIES_PER_PAGE).get_page(request.GET.get("page"))
    page_cities = selectors.city_directory_page(city_ids=list(page.object_list))
    # The map shows every city the filters leave, not only this page's (portal's tag), unless they
    # are too many to draw: then this page's cities, and the page says so.
    map_cities = (
        None
        if page.paginator.count > MAP_CITIES
        else selectors.city_directory_map(cities=cities, limit=MAP_CITIES)
    )
    return render(
        request,
        "cities/city_list.html",
        {
            "form": form,
            "page": page,
            "cities": page_cities,
            "query": _query_without_page(request),
            "all_cities": page_cities if map_cities is None else map_cities,
            "map_limited": map_cities is None,
        },
    )


@public_page
def city_detail(request, slug):
    try:
        city = selectors.public_city_detail(slug=slug)
    except City.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "webinars": webinars_presented_by(city=city),
            "quotes": quotes_for_city(city=city),
            "mentions": quotes_mentioning(city=city),
            "can_edit": can_edit_city(request.user, city),
        },
    )


@public_page
def practice_list(request):
    form = GoodPracticeFilterForm(request.GET or None)
    filters = form.filters()
    practices = selectors.good_practice_library(**filters)
    # Paging over ids alone, as the directory does; then the details of this page's practices. The
    # count (a join over every practice) is kept per filter and data version.
    ids = practices.values_list("pk", flat=True)
    if filters.get("search"):
        count = ids.count()  # free text: endless keys, never kept
    else:
        chosen = sorted((name, getattr(value, "pk", value)) for name, value in filters.items())
        count = versioned(f"library-count:{chosen}", ids.count)
    page = _CountedPaginator(ids, PRACTICES_PER_PAGE, count=count, max_pages=LIBRARY_PAGES).get_page(
        request.GET.get("page")
    )
    page_practices = selectors.good_practice_library_page(practice_ids=list(page.object_list))
    return render(
        request,
        "cities/practice_list.html",
        {"form": form, "page": page, "practices": page_practices, "query": _query_without_page(request)},
    )


@public_page
def practice_detail(request, slug):
    try:
        practice = selectors.public_good_practice_detail(slug=slug)
    except GoodPractice.DoesNotExist:
        raise Http404 from None
    return render(request, "cities/practice_detail.html", {"practice": practice})
