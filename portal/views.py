"""Pages that belong to no single app: the home page, and the language switch every page carries."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from cities import services as city_services
from cities.selectors import published_good_practices
from partnerships.selectors import partnership_figures, public_partnership_list
from travelsouth.i18n import path_in_language
from travelsouth.pages import public_page
from webinars import selectors as webinar_selectors


@public_page
def home(request):
    # Read only when the kept part of the page is rendered (templates call it; {% kept %}).
    series = webinar_selectors.series_overviews
    latest_practices = published_good_practices().order_by("-year", "-id")[:6]
    return render(
        request,
        "portal/home.html",
        {
            "series_list": series,
            "latest_practices": latest_practices,
            "figures": partnership_figures(),
            "latest_partnerships": list(public_partnership_list()[:3]),
        },
    )


def _passes_csrf_check(request) -> bool:
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None


@csrf_exempt
@require_POST
def language_switch(request):
    """Django's language switcher, and the signed-in user's preferred language follows their choice.

    Django finds the page to return to in the active language, which here comes from the cookie or
    the browser, not from the page: read ``next`` in its own language, so /es/cities/ becomes
    /zh-hans/cities/ for a visitor who arrived on the Spanish page by a link."""
    next_path = urlsplit(request.POST.get("next", "")).path
    with translation.override(translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE):
        response = set_language(request)
    language = request.POST.get("language", "")
    # Exempt from CSRF so that public pages carry no token (nor its cookie) for anonymous visitors: for
    # them the switch only sets the language cookie. A signed-in user's stored preference is a write,
    # so it follows only a request that passes the CSRF check.
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and _passes_csrf_check(request):
        city_services.person_language_set(user=request.user, language=language)
    return response


@never_cache
@require_GET
def language_choose(request, language):
    """The language menu's links: ``/i18n/choose/es/?next=/zh-hans/cities/`` remembers the choice (the
    language cookie, and a signed-in user's preferred language, which their e-mails follow) and opens
    the same page in that language. A plain link, so no page needs a form or a CSRF cookie for it; the
    choice changes only which language is shown, so a link from elsewhere can do no harm with it."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(
        path_in_language(urlsplit(next_url)._replace(scheme="", netloc="").geturl(), language)
    )
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if request.user.is_authenticated:
        city_services.person_language_set(user=request.user, language=language)
    return response
