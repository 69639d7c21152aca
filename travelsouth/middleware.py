"""The project's middleware."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, with two exceptions for the pages that carry no language prefix.

    - The home page ``/``: a visitor whose language cookie (the language menu's choice) or, on a first
      visit, whose browser's Accept-Language asks for Spanish or Chinese is sent to ``/es/`` or
      ``/zh-hans/``. Once the visitor has chosen English in the menu, ``/`` stays English for them.
    - The addresses that have no language prefix at all (the admin, the API): ``?lang=`` if given, else
      the visitor's own choice, from the language cookie, then the browser's Accept-Language. Django would give them the default
      language, because the public pages use i18n_patterns without a prefix for English.
    """

    def process_request(self, request):
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            language = translation.get_language_from_request(request, check_path=False)
            if language != settings.LANGUAGE_CODE:
                query = request.META.get("QUERY_STRING", "")
                response = HttpResponseRedirect(f"/{language}/" + (f"?{query}" if query else ""))
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        if not request.path_info.startswith(settings.UNPREFIXED_PAGE_PATHS):
            return super().process_request(request)
        language = request.GET.get("lang", "")
        try:
            language = translation.get_supported_language_variant(language) if language else ""
        except LookupError:
            language = ""
        translation.activate(language or translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if request.path_info == "/":
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
