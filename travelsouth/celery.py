"""The Celery application. Without REDIS_URL, settings make every task run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "travelsouth.settings")

app = Celery("travelsouth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules outside an app's top level: partnerships/invitations/tasks.py.
app.autodiscover_tasks(["partnerships.invitations"])
