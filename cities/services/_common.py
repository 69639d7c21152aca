"""Helpers the services share."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _

from travelsouth.i18n import InterfaceLanguage


def _unique_slug(model: type[Model], text: str, *, max_length: int, avoid: tuple[str, ...] = ()) -> str:
    """A slug for ``text`` that no row of ``model`` uses yet (``lima``, ``lima-2``, ...)."""
    base = (slugify(text) or model._meta.model_name)[: max_length - 4].strip("-")
    slug, number = base, 1
    while slug in avoid or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


SLUG_ATTEMPTS = 5


def _save_new_with_unique_slug(row: Model, text: str, *, max_length: int) -> Model:
    """``full_clean()`` and insert a new row under a slug for ``text`` that no row uses.

    Two requests creating rows with the same name at the same moment both find the same free slug;
    the second insert then fails on the unique slug. It is retried, in a savepoint, with the next
    slug (``lima-2``), so neither request fails. Any other error is raised as it is."""
    model, tried = type(row), ()
    for _attempt in range(SLUG_ATTEMPTS):
        row.slug = _unique_slug(model, text, max_length=max_length, avoid=tried)
        try:
            with transaction.atomic():
                row.full_clean()
                row.save()
            return row
        except ValidationError as error:
            if set(getattr(error, "error_dict", {})) != {"slug"}:
                raise
        except IntegrityError:
            # Whatever the database calls the constraint, or says in its message: the insert lost the
            # slug when a row holding it is there now. The savepoint is rolled back, so this query
            # runs; under READ COMMITTED it sees the parallel request's row, committed while this
            # insert waited on it. Any other integrity error is raised as it is.
            if not model.objects.filter(slug=row.slug).exists():
                raise
        tried = (*tried, row.slug)
    raise ValidationError(
        _("So many rows were added with this name at once that none could be saved: try again.")
    )


def _interface_language(language: str | None) -> str:
    language = (language or "").lower()
    if language.startswith("zh"):
        return InterfaceLanguage.CHINESE
    if language.startswith("es"):
        return InterfaceLanguage.SPANISH
    return InterfaceLanguage.ENGLISH
