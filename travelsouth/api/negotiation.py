from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class ApiContentNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is a bad parameter (400), not a missing page (DRF's 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            formats = ", ".join(renderer.format for renderer in renderers if renderer.format != "api")
            raise exceptions.ValidationError(
                {self.settings.URL_FORMAT_OVERRIDE: [_("One of: %s.") % formats]}
            ) from None
