"""Background work for cities: e-mails that must not hold up a request."""

import logging

from celery import shared_task

from . import services
from .models import CityMembership

logger = logging.getLogger(__name__)


@shared_task(name="cities.notify_membership_decision")
def notify_membership_decision(*, membership_id: int) -> None:
    """E-mail staff's decision on a membership request. Safe to run twice: it sends at most once."""
    membership = CityMembership.objects.filter(pk=membership_id).first()
    if membership is None:
        logger.warning("Membership %s is gone; no decision e-mail sent.", membership_id)
        return
    services.membership_decision_notify(membership=membership)
