"""Celery beat's scheduler with a heartbeat: each tick touches BEAT_HEARTBEAT_FILE, so the container
health check (travelsouth/health.py) tells a hung beat, which stops ticking, from a live one."""

from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        heartbeat = Path(settings.BEAT_HEARTBEAT_FILE)
        heartbeat.parent.mkdir(parents=True, exist_ok=True)
        heartbeat.touch()
        return interval
