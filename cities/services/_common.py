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


def _refresh_proposals(city_id: int | None) -> None:
    """What matching reads about the city changed (what it offers, its contacts, its approval):
    recompute its partnership proposals after commit. Partnerships build on cities, so the import
    is made here, when needed."""
    from partnerships.matching.runs import schedule_city_proposals_refresh

    if city_id is not None:
        schedule_city_proposals_refresh(city_id=city_id)
