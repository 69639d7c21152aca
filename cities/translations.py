"""Reads for the staff's translation queue: content not yet in every portal language.

A good practice is written in one language (``original_language``); it needs a translation while a
language has no title or summary of its own (the rule: ``cities.models.places._needs_translation``,
the queue's manager).
"""

from django.db.models import QuerySet

from .models import GoodPracticeToTranslate


def good_practices_to_translate() -> QuerySet[GoodPracticeToTranslate]:
    """Practices some portal language has no title or summary in, newest first."""
    return GoodPracticeToTranslate.objects.select_related("city", "organisation").order_by(
        "-created_at", "-id"
    )
