"""Whole public pages cached for anonymous visitors, per address (language included) and data version.

A view marked ``@public_page`` has its answer to an anonymous visitor kept in the cache (Redis in
production, local memory embedded) under its path, query string, whether the visitor takes gzip, and
the current *data version*. The next anonymous visitor of the same address gets it back from
``PageCacheMiddleware`` before sessions, authentication, CSRF and the view run.

The data version changes after every committed write to a table the public pages may read. The
services write (they are the only writers), and ``watch_writes``, a database execute wrapper, sees
each INSERT, UPDATE or DELETE they run: the version changes when their transaction commits (at once
outside a transaction), so the next visitor after a write gets a page rendered from it. A page
rendered meanwhile by another process, from the data before the commit, was stored under the old
version and is never served again. A transaction rolled back changes nothing. Writes that no public
page shows (sessions, lockouts, the admin's log, the outbox, the matching index and runs) change
nothing either.

Never cached: signed-in visitors (a session cookie), visitors with a message waiting, anything but
GET and HEAD, answers other than 200, answers that set a cookie, and pages that drew a CSP nonce
(django-csp's ``request.csp_nonce``): a stored body would hand every later visitor the same nonce,
which an attacker who read it once could put on an injected script. Public pages have no inline
script or style, so their Content-Security-Policy carries no nonce; the header itself is never
stored (CSPMiddleware, outside this one, writes it on every answer). Entries also expire after
``PAGE_CACHE_SECONDS`` (0 turns the cache off), which bounds what a Redis outage during a write
could leave behind. ``versioned(name, compute)`` keeps any other read (the library's years and
counts) per data version in the same way, for ``VERSIONED_READ_SECONDS``, whether whole pages are
cached or not.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

VERSION_KEY = "pages:data-version"
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Tables no public page reads: writing them leaves the cached pages valid.
UNSHOWN_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "django_cache",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "partnerships_indexentry",
        "partnerships_invitation",
        "partnerships_invitationsettings",
    }
)
UNSHOWN_PREFIXES = ("partnerships_matching", "account_email")


def page_cache_enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def versioned_reads_enabled() -> bool:
    return settings.VERSIONED_READ_SECONDS > 0


def _watching() -> bool:
    """Whether writes must change the data version: something is kept per version."""
    return page_cache_enabled() or versioned_reads_enabled()


_enabled = page_cache_enabled


def set_last_modified(response: HttpResponse, version: str) -> None:
    """Last-Modified: when the data last changed (the data version is that moment)."""
    if version.isdigit() and not response.has_header("Last-Modified"):
        response.headers["Last-Modified"] = http_date(int(version) / 1e9)


def data_version() -> str | None:
    """The current data version, or None when the cache does not answer (then nothing is cached)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def data_changed() -> None:
    """Make every cached page and versioned read out of date."""
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def _data_changed_on_commit() -> None:
    data_changed()


def _write_seen(connection) -> None:
    if not connection.in_atomic_block:
        data_changed()
        return
    if any(callback is _data_changed_on_commit for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_data_changed_on_commit, using=connection.alias)


def watch_writes(execute, sql, params, many, context):
    """A database execute wrapper: a write to a table that public pages read changes the data version."""
    result = execute(sql, params, many, context)
    if _watching():
        match = _WRITE.match(sql) if isinstance(sql, str) else None
        if match:
            table = match.group(1).lower()
            if table not in UNSHOWN_TABLES and not table.startswith(UNSHOWN_PREFIXES):
                _write_seen(context["connection"])
    return result


def install_write_watch(sender=None, connection=None, **kwargs) -> None:
    """Receiver of ``connection_created``: every database connection watches its writes."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def stored_with_version(key: str) -> tuple[str | None, Any]:
    """The current data version and what is stored under ``key`` for it (None if stale or missing),
    in one round trip: entries are stored as ``(version, value)``."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or data_version()
    stored = found.get(key)
    if version is None or stored is None or stored[0] != version:
        return version, None
    return version, stored[1]


def versioned(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the cache until the data changes (``VERSIONED_READ_SECONDS`` at most)."""
    if not versioned_reads_enabled():
        return compute()
    version = data_version()
    if version is None:
        return compute()
    # Names may carry any text (a filter's values): hashed, so every cache backend takes the key.
    key = f"versioned:{hashlib.sha256(name.encode()).hexdigest()[:32]}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.VERSIONED_READ_SECONDS)
    return value


def public_page(view):
    """Mark a view whose answer to an anonymous visitor may be cached (``PageCacheMiddleware``)."""

    @functools.wraps(view)
    def marked(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    return marked


# Addresses that are never @public_page views: no cache round trip for them (the API keeps its own).
NEVER_PAGES = ("/api/", "/admin/", "/healthz", "/i18n/", "/static/")

# Free text makes endless addresses: a page searched for is not kept (the cache would fill with them).
FREE_TEXT_PARAMETERS = ("search", "q")


def _anonymous(request: HttpRequest) -> bool:
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and request.method in ("GET", "HEAD")
        and not any(name in request.GET for name in FREE_TEXT_PARAMETERS)
    )


# Written per answer by middleware outside this one: never replayed from a stored page.
_PER_ANSWER_HEADERS = ("content-security-policy", "content-security-policy-report-only")


def _drew_csp_nonce(request: HttpRequest) -> bool:
    """Whether rendering the page asked django-csp for a nonce (it makes one on first use)."""
    return isinstance(getattr(request, "_csp_nonce", None), str)


def _page_key(request: HttpRequest) -> str:
    gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    return f"page:{'gz' if gzip else 'id'}:{request.get_full_path()}"


class PageCacheMiddleware:
    """Serves and stores the pages marked ``@public_page``. It sits right after WhiteNoise, before the
    sessions, and HtmlGZipMiddleware sits right after it: a stored page is already compressed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (_enabled() and _anonymous(request)) or request.path_info.startswith(NEVER_PAGES):
            return self.get_response(request)
        key = _page_key(request)
        # One round trip for the version and the page.
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or data_version()
        if version is None:
            return self.get_response(request)
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            _, status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            if request.method == "HEAD":
                response.content = b""
            return response
        response = self.get_response(request)
        if (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and request.method == "GET"
            and not _drew_csp_nonce(request)
        ):
            # Only anonymous visitors reach here; the page differs by gzip, not by cookie.
            patch_vary_headers(response, ["Accept-Encoding"])
            set_last_modified(response, version)
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in ("vary", *_PER_ANSWER_HEADERS)
            ]
            headers.append(("Vary", response.headers["Vary"]))
            cache.set(
                key,
                (version, response.status_code, headers, response.content),
                timeout=settings.PAGE_CACHE_SECONDS,
            )
        return response


class HtmlGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for HTML pages only: the API's JSON and CSV are left as they are (its
    clients, and the schema tests' client, read them uncompressed)."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
