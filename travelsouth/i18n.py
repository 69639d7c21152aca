"""Content written in several languages: a base field plus one column per other interface language.

A model with a translatable field ``title`` also has ``title_es`` and ``title_zh`` (blank when not
given). The base field holds the English (or original) text and is the fallback.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class InterfaceLanguage(models.TextChoices):
    """The portal's interface languages, which are the series' languages."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    CHINESE = "zh-hans", _("Simplified Chinese")


# Interface language code -> column suffix.
CONTENT_LANGUAGE_SUFFIXES = {"es": "es", "zh-hans": "zh"}


def content_suffix(language: str | None = None) -> str | None:
    language = (language or translation.get_language() or "en").lower()
    if language.startswith("zh"):
        return "zh"
    return CONTENT_LANGUAGE_SUFFIXES.get(language.split("-")[0])


def localized(instance: models.Model, field: str, language: str | None = None) -> str:
    """The field's text in ``language`` (default: the active one), else the base text."""
    suffix = content_suffix(language)
    if suffix:
        text = getattr(instance, f"{field}_{suffix}", "")
        if text:
            return text
    return getattr(instance, field)


def translated_fields(field: str) -> list[str]:
    """The column names of a translatable field, base first: ``["title", "title_es", "title_zh"]``."""
    return [field, *(f"{field}_{suffix}" for suffix in CONTENT_LANGUAGE_SUFFIXES.values())]
