"""How long invitations keep personal data (``INVITATION_RETENTION_MONTHS``, docs/security.md).

An invitation that is over (answered, expired, failed or cancelled, or sent and never answered) and
older than the retention period loses what it holds about the person beyond the fact that it
existed: the address it was sent to, the note they wrote with their answer, the details of the
answer, and the last error (which may quote the address). The kinds, dates and states stay, so the
brokering funnel and the timeline still count it. Run by the beat every day; safe to run twice.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Invitation

OVER = [
    Invitation.Status.SENT,
    Invitation.Status.ANSWERED,
    Invitation.Status.EXPIRED,
    Invitation.Status.FAILED,
    Invitation.Status.CANCELLED,
]
DAYS_PER_MONTH = 30.44


def retention_cutoff(*, now: dt.datetime | None = None, months: int | None = None) -> dt.datetime:
    months = settings.INVITATION_RETENTION_MONTHS if months is None else months
    return (now or timezone.now()) - dt.timedelta(days=months * DAYS_PER_MONTH)


@transaction.atomic
def invitations_purge_personal_data(*, now: dt.datetime | None = None, months: int | None = None) -> int:
    """Clear the personal data of the invitations that are over and older than the retention period;
    return how many were cleared."""
    holding = ~Q(sent_to="") | ~Q(answer_note="") | ~Q(last_error="") | ~Q(answer_data={})
    rows = Invitation.objects.filter(
        holding, status__in=OVER, created_at__lt=retention_cutoff(now=now, months=months)
    )
    return rows.update(sent_to="", answer_note="", last_error="", answer_data={}, updated_at=timezone.now())
