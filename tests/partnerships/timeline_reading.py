"""Reading timelines in tests as staff read them: the sentences, in a language (English by default)."""

from django.utils import translation

from partnerships.models import TimelineEvent
from partnerships.timeline import timeline_entries


def _lines(events, language: str):
    with translation.override(language):
        return timeline_entries(events)


def sentences(events, language: str = "en") -> list[str]:
    return [line.text for line in _lines(events, language)]


def who_and_sentence(events, language: str = "en") -> list[tuple[str, str]]:
    return [(line.who, line.text) for line in _lines(events, language)]


def of_kind(kind: str, language: str = "en", **filters) -> list[str]:
    return sentences(TimelineEvent.objects.filter(kind=kind, **filters).order_by("at", "id"), language)
