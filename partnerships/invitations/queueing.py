"""Queueing sends after commit: the only way invitation services hand work to Celery."""

from collections.abc import Iterable

from travelsouth.queueing import queue_each_after_commit


def queue_sends_after_commit(invitation_ids: Iterable[int]) -> None:
    """Queue one send task per invitation once the current transaction commits; nothing if it rolls back.

    A broker that is down when the transaction commits is logged, never raised: the rows are committed,
    and those not queued are marked as never queued, so the beat job's next tick queues them
    (dispatch.invitations_queue_due) instead of waiting for the re-queue delay.
    """
    # Imported here, not at the top: the tasks module imports the services that call this.
    from .tasks import send_invitation

    queue_each_after_commit(
        send_invitation,
        [{"invitation_id": invitation_id} for invitation_id in invitation_ids],
        if_broker_down=_leave_to_the_beat_job,
    )


def _leave_to_the_beat_job(calls: list[dict]) -> None:
    from ..models import Invitation

    Invitation.objects.filter(
        pk__in=[call["invitation_id"] for call in calls], status=Invitation.Status.PENDING
    ).update(last_queued_at=None)
