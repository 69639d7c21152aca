"""Rate limits: stricter for anonymous callers, higher for partner tokens and signed-in users.

Counters live in the default cache, which is Redis when REDIS_URL is set, so every gunicorn worker
and every host share them. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (settings, from
the environment) and are read on each request, so tests and deployments can change them.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from travelsouth.client_ip import client_ip


class _ConfiguredRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The client address axes and allauth see too (a rotating X-Forwarded-For is not a new client).
        return client_ip(request)


class AnonymousRateThrottle(_ConfiguredRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerRateThrottle(_ConfiguredRateThrottle):
    """One budget per token (a partner with two tokens has two); per user for session sign-ins."""

    scope = "partner"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        ident = f"token-{request.auth.pk}" if getattr(request.auth, "pk", None) else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
