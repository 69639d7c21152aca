"""Helpers the services share."""

from django.db.models import Model
from django.utils.text import slugify

from travelsouth.i18n import InterfaceLanguage


def _unique_slug(model: type[Model], text: str, *, max_length: int) -> str:
    """A slug for ``text`` that no row of ``model`` uses yet (``lima``, ``lima-2``, ...)."""
    base = (slugify(text) or model._meta.model_name)[: max_length - 4].strip("-")
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _interface_language(language: str | None) -> str:
    language = (language or "").lower()
    if language.startswith("zh"):
        return InterfaceLanguage.CHINESE
    if language.startswith("es"):
        return InterfaceLanguage.SPANISH
    return InterfaceLanguage.ENGLISH
