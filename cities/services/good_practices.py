"""Good practices."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from travelsouth.i18n import InterfaceLanguage, column, interface_language, language_codes, localized
from travelsouth.validation import LIST_ITEM_MAX_LENGTH, LIST_MAX_ITEMS

from ..changes import city_changed
from ..models import (
    City,
    GoodPractice,
    SustainableDevelopmentGoal,
    Theme,
)
from ._common import _save_new_with_unique_slug


def _clean_tools(digital_tools: Iterable[str]) -> list[str]:
    tools: list[str] = []
    for tool in digital_tools:
        tool = tool.strip()
        if len(tool) > LIST_ITEM_MAX_LENGTH:
            raise ValidationError(
                {
                    "digital_tools": _("Keep each tool under %(limit)s characters.")
                    % {"limit": LIST_ITEM_MAX_LENGTH}
                }
            )
        if tool and tool.lower() not in {known.lower() for known in tools}:
            tools.append(tool)
    if len(tools) > LIST_MAX_ITEMS:
        raise ValidationError(
            {"digital_tools": _("List at most %(limit)s digital tools.") % {"limit": LIST_MAX_ITEMS}}
        )
    return tools


@transaction.atomic
def good_practice_create(
    *,
    city: City,
    title: str = "",
    summary: str = "",
    texts: Mapping[str, Mapping[str, str]] | None = None,
    original_language: str = InterfaceLanguage.ENGLISH,
    themes: Iterable[Theme],
    sdgs: Iterable[SustainableDevelopmentGoal] = (),
    digital_tools: Iterable[str] = (),
    link: str = "",
    year: int | None = None,
) -> GoodPractice:
    """Publish a good practice of ``city``: it appears at once in the library and on the city's page.

    ``title`` and ``summary`` are written in ``original_language``; ``texts`` holds the title and
    summary in any portal languages, ``{"es": {"title": ..., "summary": ...}}``.

    Side effects: after commit, the city's partnership proposals are recomputed.
    """
    columns = _texts_with_original(
        original_language=original_language, title=title, summary=summary, texts=texts
    )
    # The slug is given on saving, retried on a conflict (_save_new_with_unique_slug).
    practice = GoodPractice(city=city, status=GoodPractice.Status.PUBLISHED)
    return _good_practice_save(
        practice,
        **columns,
        themes=themes,
        sdgs=sdgs,
        digital_tools=digital_tools,
        link=link,
        year=year or timezone.now().year,
    )


TEXT_FIELDS = ("title", "summary")


def _texts_with_original(
    *, original_language: str, title: str, summary: str, texts: Mapping[str, Mapping[str, str]] | None
) -> dict[str, str]:
    """The title and summary columns in each language, with the language they were written in.

    An official writes in any portal language; one language must have both a title and a summary. The
    original is ``original_language`` (the page's) when it is complete there, else the first complete
    one (in ``settings.LANGUAGES`` order). Every language's columns are set (blank where not written);
    the base columns get the English, else the original (``TranslatedContent.save``).
    """
    original_language = interface_language(original_language)
    by_language = {code: dict.fromkeys(TEXT_FIELDS, "") for code in language_codes()}
    if title or summary:
        by_language[original_language] = {"title": title, "summary": summary}
    for code, fields in (texts or {}).items():
        if code not in by_language:
            raise ValueError(f"Not an interface language: {code}")
        by_language[code].update({field: fields.get(field, "") for field in TEXT_FIELDS if field in fields})
    by_language = {
        code: {field: (text or "").strip() for field, text in fields.items()}
        for code, fields in by_language.items()
    }
    complete = [code for code, fields in by_language.items() if all(fields.values())]
    if not complete:
        raise ValidationError(
            {
                "title": _(
                    "Write the title and the summary in at least one language (English, Spanish or Chinese)."
                )
            }
        )
    original = original_language if original_language in complete else complete[0]
    columns = {
        column(field, code): text for code, fields in by_language.items() for field, text in fields.items()
    }
    return {**columns, "original_language": original}


def _good_practice_save(
    practice: GoodPractice,
    *,
    themes: Iterable[Theme],
    sdgs: Iterable[SustainableDevelopmentGoal],
    digital_tools: Iterable[str],
    **fields,
) -> GoodPractice:
    """Set what a good practice says (titles, summaries, link, year, tools, themes, SDGs), validate, save,
    and have its city's proposals recomputed after commit."""
    themes = list(themes)
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.digital_tools = _clean_tools(digital_tools)
    if practice._state.adding:
        # The address follows the English title, else the original's.
        _save_new_with_unique_slug(practice, localized(practice, "title", "en"), max_length=100)
    else:
        practice.full_clean()
        practice.save()
    practice.themes.set(themes)
    practice.sdgs.set(sdgs)
    city_changed(city_id=practice.city_id)
    return practice


@transaction.atomic
def good_practice_update(
    *,
    good_practice: GoodPractice,
    title: str = "",
    summary: str = "",
    texts: Mapping[str, Mapping[str, str]] | None = None,
    original_language: str | None = None,
    themes: Iterable[Theme],
    sdgs: Iterable[SustainableDevelopmentGoal] = (),
    digital_tools: Iterable[str] = (),
    link: str = "",
    year: int | None = None,
) -> GoodPractice:
    """Change what a good practice says (``texts`` as for ``good_practice_create``: every language's
    title and summary; a language left out is blanked). Its slug (its address) never changes.

    Side effects: after commit, the city's partnership proposals are recomputed.
    """
    practice = GoodPractice.objects.select_for_update().get(pk=good_practice.pk)
    columns = _texts_with_original(
        # It stays the language it was written in while that text is there.
        original_language=original_language or practice.original_language,
        title=title,
        summary=summary,
        texts=texts,
    )
    return _good_practice_save(
        practice,
        **columns,
        themes=themes,
        sdgs=sdgs,
        digital_tools=digital_tools,
        link=link,
        year=year,
    )


@transaction.atomic
def good_practice_save(*, good_practice: GoodPractice, previous_city_id: int | None = None) -> GoodPractice:
    """Save a practice staff edited in the admin (themes, status, webinar, city...). Side effects: the
    proposals of its city, and of the city it moved from, are refreshed after commit."""
    good_practice.full_clean()
    good_practice.save()
    for city_id in {good_practice.city_id, previous_city_id} - {None}:
        city_changed(city_id=city_id)
    return good_practice


@transaction.atomic
def good_practice_delete(*, good_practice: GoodPractice) -> None:
    """Delete a practice (staff). Side effects: its city's proposals are refreshed after commit."""
    city_id = good_practice.city_id
    good_practice.delete()
    city_changed(city_id=city_id)


def _good_practice_set_status(*, good_practice: GoodPractice, status: str) -> GoodPractice:
    practice = GoodPractice.objects.select_for_update().get(pk=good_practice.pk)
    if practice.status != status:
        practice.status = status
        practice.save(update_fields=["status", "updated_at"])
        city_changed(city_id=practice.city_id)
    return practice


@transaction.atomic
def good_practice_withdraw(*, good_practice: GoodPractice) -> GoodPractice:
    """Take a practice off the public pages. It stays on file and its officials can publish it again."""
    return _good_practice_set_status(good_practice=good_practice, status=GoodPractice.Status.WITHDRAWN)


@transaction.atomic
def good_practice_publish(*, good_practice: GoodPractice) -> GoodPractice:
    """Show a withdrawn (or draft) practice on the public pages again."""
    return _good_practice_set_status(good_practice=good_practice, status=GoodPractice.Status.PUBLISHED)
