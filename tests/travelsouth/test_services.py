"""The real services: PostgreSQL and Redis. CI runs with both and REQUIRE_SERVICES=1."""

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from tests.conftest import skip_or_fail

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_database_is_postgresql_when_services_are_required():
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL does not point at PostgreSQL")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()

    assert int(version) >= 150000


def test_redis_serves_as_cache_and_broker():
    if not settings.REDIS_URL:
        skip_or_fail("REDIS_URL is not set")
    import redis

    redis.Redis.from_url(settings.REDIS_URL).ping()
    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "travelsouth-tests"})
    cache.set("views", {"views": 1_026_000}, timeout=30)

    assert cache.get("views") == {"views": 1_026_000}
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
