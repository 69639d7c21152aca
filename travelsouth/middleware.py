"""The project's middleware."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except on the pages that have no language prefix at all (the admin):
    there the visitor's own choice applies, from the language cookie the switcher sets, then the
    browser's Accept-Language. Django would give them the default language, because the public pages
    use i18n_patterns without a prefix for English (``/`` is the English home page)."""

    def process_request(self, request):
        if not request.path_info.startswith(settings.UNPREFIXED_PAGE_PATHS):
            return super().process_request(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None
