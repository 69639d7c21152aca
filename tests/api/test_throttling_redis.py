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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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
