"""Reads of the data set's decisions (public: they explain what the portal shows)."""

from django.db.models import QuerySet

from .models import Decision


def decision_list() -> QuerySet[Decision]:
    return Decision.objects.select_related("series").order_by("order", "slug")


def decision_detail(*, slug: str) -> Decision:
    """Raises ``Decision.DoesNotExist``."""
    return decision_list().get(slug=slug)
