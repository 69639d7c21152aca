"""The client's IP address: one answer for django-axes, allauth's rate limits and the API's throttles.

Without ``BEHIND_PROXY`` the address is the connection's (``REMOTE_ADDR``) and ``X-Forwarded-For`` is
ignored: anyone can write that header. With it, there is exactly one trusted proxy in front (Caddy,
deploy/Caddyfile), which appends the address it saw to ``X-Forwarded-For``: the last entry is the
client, and whatever the client put before it is ignored. Settings keep the libraries' own proxy
settings in step (``REST_FRAMEWORK["NUM_PROXIES"]``, ``ALLAUTH_TRUSTED_PROXY_COUNT``).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    if not getattr(settings, "BEHIND_PROXY", False):
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    candidate = hops[-1] if hops else ""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr  # no usable header: the proxy itself, or a request that bypassed it


def axes_client_ip(request: HttpRequest) -> str:
    """``AXES_CLIENT_IP_CALLABLE``."""
    return client_ip(request)
