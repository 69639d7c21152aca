from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class ApiContentNegotiation(DefaultContentNegotiation):
    """``?format=`` wins over the Accept header, and an unknown format is a 400, not DRF's 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        format_name = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if not format_name:
            return super().select_renderer(request, renderers, format_suffix)
        chosen = [renderer for renderer in renderers if renderer.format == format_name]
        if not chosen:
            formats = ", ".join(renderer.format for renderer in renderers if renderer.format != "api")
            raise exceptions.ValidationError(
                {self.settings.URL_FORMAT_OVERRIDE: [_("One of: %s.") % formats]}
            )
        return chosen[0], chosen[0].media_type
