"""Queueing sends after commit: the only way invitation services hand work to Celery."""

from collections.abc import Iterable
from functools import partial

from django.db import transaction


def queue_sends_after_commit(invitation_ids: Iterable[int]) -> None:
    """Queue one send task per invitation once the current transaction commits; nothing if it rolls back.

    A broker that is down when the transaction commits is logged, not raised (``robust``): the rows
    are committed, and the beat job queues pending rows again (dispatch.invitations_queue_due).
    """
    # Imported here, not at the top: the tasks module imports the services that call this.
    from .tasks import send_invitation

    for invitation_id in invitation_ids:
        transaction.on_commit(partial(send_invitation.delay, invitation_id=invitation_id), robust=True)
