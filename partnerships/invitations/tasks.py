"""Celery tasks for invitations: thin doors that take ids, call one service, and are safe to run twice.

Both run with ``acks_late`` and ``reject_on_worker_lost`` (also the project defaults): a message is
acknowledged only after its task ran, and a worker killed mid-task gives it back to the broker. A
second run is harmless because sending starts with a conditional claim of the row.
"""

from celery import shared_task
from django.conf import settings

from . import delivery, dispatch, retention


@shared_task(
    name="partnerships.send_invitation",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    # No soft limit: an exception raised at a random point could land between the hand-over and the
    # final line. The hard limit leaves a worker that made a hand-over but cannot tell the database
    # it was sent its lease and grace to keep trying (delivery.py); a lease that runs out is safe
    # either way (the slow worker's hand-over is refused).
    time_limit=settings.INVITATIONS_SEND_LEASE_SECONDS + settings.INVITATIONS_LEASE_GRACE_SECONDS + 5,
)
def send_invitation(*, invitation_id: int) -> str:
    """Send ``invitation_id``, and with it other due invitations up to a batch (INVITATIONS_SEND_BATCH):
    their own tasks then find them taken and do nothing. Returns ``invitation_id``'s outcome."""
    outcomes = delivery.invitations_send(
        invitation_ids=[invitation_id], fill_up_to=settings.INVITATIONS_SEND_BATCH
    )
    return outcomes.get(invitation_id, delivery.NOT_CLAIMED)


@shared_task(
    name="partnerships.dispatch_invitations", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def dispatch_invitations() -> dict[str, int]:
    return dispatch.invitations_dispatch().as_dict()


@shared_task(name="partnerships.purge_invitation_personal_data", ignore_result=True)
def purge_invitation_personal_data() -> int:
    """The daily retention job (partnerships/invitations/retention.py): safe to run twice."""
    return retention.invitations_purge_personal_data()
