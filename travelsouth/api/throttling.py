"""Rate limits: stricter for anonymous callers, higher for partner tokens and signed-in users.

Counters live in the default cache, which is Redis when REDIS_URL is set, so every gunicorn worker
and every host share them. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (settings, from
the environment) and are read on each request, so tests and deployments can change them.

Each caller has a fixed window: its first request starts a counter that lives for the rate's period
(``60/minute``: a minute), and the calls past the rate in that window are refused until it ends. With
Redis that is one round trip a request (INCR and EXPIRE in one pipeline), where DRF's sliding window
reads and writes a list of timestamps (two round trips, and a body that grows with the rate). A
caller can make up to twice the rate across the end of one window and the start of the next.
"""

import time

from django.core.cache import cache as default_cache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from travelsouth.client_ip import client_ip


def _hit(key: str, timeout: int) -> int:
    if hasattr(default_cache, "hit"):  # travelsouth.cache.FailOpenRedisCache
        return default_cache.hit(key, timeout)
    default_cache.add(key, 0, timeout)
    try:
        return default_cache.incr(key)
    except ValueError:  # expired between the two calls
        default_cache.set(key, 1, timeout)
        return 1


def _seconds_left(key: str, duration: int, started: float | None) -> float:
    if hasattr(default_cache, "ttl"):
        left = default_cache.ttl(key)
        return float(left) if left > 0 else float(duration)
    return max(1.0, duration - (time.time() - started)) if started else float(duration)


class _ConfiguredRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The client address axes and allauth see too (a rotating X-Forwarded-For is not a new client).
        return client_ip(request)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count = _hit(self.key, self.duration)
        if count <= self.num_requests:
            return True
        self._wait = _seconds_left(self.key, self.duration, None)
        return False

    def wait(self):
        return getattr(self, "_wait", None)


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
