"""Celery tasks for invitations: thin doors that take ids, call one service, and are safe to run twice.

Both run with ``acks_late`` and ``reject_on_worker_lost`` (also the project defaults): a message is
acknowledged only after its task ran, and a worker killed mid-task gives it back to the broker. A
second run is harmless because sending starts with a conditional claim of the row.
"""

from celery import shared_task
from django.conf import settings

from . import delivery, dispatch


@shared_task(
    name="partnerships.send_invitation",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    # Killed well before its lease runs out, so a lease only ever expires for a lost worker.
    time_limit=max(1, settings.INVITATIONS_SEND_LEASE_SECONDS // 2),
)
def send_invitation(*, invitation_id: int) -> str:
    return delivery.invitation_send(invitation_id=invitation_id)


@shared_task(
    name="partnerships.dispatch_invitations", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def dispatch_invitations() -> dict[str, int]:
    return dispatch.invitations_dispatch().as_dict()
