"""With REDIS_URL set, rate limits are counted in Redis, shared by every worker process."""

import uuid

import pytest
from django.conf import settings as django_settings

from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def test_rate_limits_are_counted_in_the_shared_redis_cache(client, settings):
    if not django_settings.REDIS_URL:
        skip_or_fail("REDIS_URL is not set")
    import redis

    prefix = f"test-throttle-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "travelsouth.cache.FailOpenRedisCache",  # as settings.py sets it with REDIS_URL
            "LOCATION": django_settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "partner": "100/minute"},
    }
    server = redis.Redis.from_url(django_settings.REDIS_URL)
    try:
        statuses = [client.get("/api/v1/ping/").status_code for _ in range(3)]

        keys = [key.decode() for key in server.scan_iter(f"{prefix}:*")]
        assert statuses == [200, 200, 429]
        assert [key.split(":", 2)[2] for key in keys] == ["throttle_anon_127.0.0.1"]
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_with_redis_down_the_api_still_answers_without_rate_limits(client, settings, caplog):
    """The cache fails open (travelsouth/cache.py): a Redis that is down costs the rate limits, not
    the requests."""
    from tests.partnerships.invitations.mail_sink import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "travelsouth.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "partner": "100/minute"},
    }

    statuses = [client.get("/api/v1/ping/").status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    warnings = [r.getMessage() for r in caplog.records if r.name == "travelsouth.cache"]
    assert len(warnings) <= 1 and all(w.startswith("Redis cache unavailable") for w in warnings)
