"""Good practices."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from travelsouth.i18n import InterfaceLanguage, content_suffix
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
    title: str,
    summary: str,
    title_es: str = "",
    title_zh: str = "",
    summary_es: str = "",
    summary_zh: str = "",
    original_language: str = InterfaceLanguage.ENGLISH,
    themes: Iterable[Theme],
    sdgs: Iterable[SustainableDevelopmentGoal] = (),
    digital_tools: Iterable[str] = (),
    link: str = "",
    year: int | None = None,
) -> GoodPractice:
    """Publish a good practice of ``city``: it appears at once in the library and on the city's page.

    Side effects: after commit, the city's partnership proposals are recomputed.
    """
    texts = _texts_with_original(
        original_language=original_language,
        title=title,
        summary=summary,
        title_es=title_es,
        title_zh=title_zh,
        summary_es=summary_es,
        summary_zh=summary_zh,
    )
    # The slug is given on saving, retried on a conflict (_save_new_with_unique_slug).
    practice = GoodPractice(city=city, status=GoodPractice.Status.PUBLISHED)
    return _good_practice_save(
        practice,
        **texts,
        themes=themes,
        sdgs=sdgs,
        digital_tools=digital_tools,
        link=link,
        year=year or timezone.now().year,
    )


def _texts_with_original(*, original_language: str, **texts: str) -> dict[str, str]:
    """The title and summary in each language, with the language they were written in.

    An official writes in any portal language; one language must have both a title and a summary. The
    original is ``original_language`` (the page's) when it is complete there, else the first complete
    one (English, Spanish, Chinese). A non-English original is kept in its own columns and copied to
    the base fields, which every language falls back to, until someone translates it into English.
    """
    texts = {name: (value or "").strip() for name, value in texts.items()}
    complete = [
        code
        for code in InterfaceLanguage.values
        if texts[_column("title", code)] and texts[_column("summary", code)]
    ]
    if not complete:
        raise ValidationError(
            {
                "title": _(
                    "Write the title and the summary in at least one language (English, Spanish or Chinese)."
                )
            }
        )
    original = original_language if original_language in complete else complete[0]
    if original != InterfaceLanguage.ENGLISH and InterfaceLanguage.ENGLISH not in complete:
        texts["title"] = texts[_column("title", original)]
        texts["summary"] = texts[_column("summary", original)]
    return {**texts, "original_language": original}


def _column(field: str, language: str) -> str:
    suffix = content_suffix(language)
    return f"{field}_{suffix}" if suffix else field


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
        _save_new_with_unique_slug(practice, practice.title, max_length=100)
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
    title: str,
    summary: str,
    title_es: str = "",
    title_zh: str = "",
    summary_es: str = "",
    summary_zh: str = "",
    original_language: str | None = None,
    themes: Iterable[Theme],
    sdgs: Iterable[SustainableDevelopmentGoal] = (),
    digital_tools: Iterable[str] = (),
    link: str = "",
    year: int | None = None,
) -> GoodPractice:
    """Change what a good practice says. Its slug (its address) never changes.

    Side effects: after commit, the city's partnership proposals are recomputed.
    """
    practice = GoodPractice.objects.select_for_update().get(pk=good_practice.pk)
    texts = _texts_with_original(
        # It stays the language it was written in while that text is there.
        original_language=original_language or practice.original_language,
        title=title,
        summary=summary,
        title_es=title_es,
        title_zh=title_zh,
        summary_es=summary_es,
        summary_zh=summary_zh,
    )
    return _good_practice_save(
        practice,
        **texts,
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
