"""Content written in several languages: a base field plus one column per other interface language.

A model with a translatable field ``title`` also has ``title_es`` and ``title_zh`` (blank when not
given). The base field holds the English (or original) text and is the fallback.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class InterfaceLanguage(models.TextChoices):
    """The portal's interface languages, which are the series' languages."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    CHINESE = "zh-hans", _("Simplified Chinese")


# Messages of Django itself that its own catalogues do not translate in every interface language:
# Django 5.2's short-password message has a new msgid that its Simplified Chinese catalogue lacks (it
# has the older one, with "%(min_length)d"). Listed here, makemessages puts them in ours, which wins.
DJANGO_MESSAGES_TRANSLATED_HERE = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        0,
    ),
]

# Interface language code -> column suffix.
CONTENT_LANGUAGE_SUFFIXES = {"es": "es", "zh-hans": "zh"}


def content_suffix(language: str | None = None) -> str | None:
    language = (language or translation.get_language() or "en").lower()
    if language.startswith("zh"):
        return "zh"
    return CONTENT_LANGUAGE_SUFFIXES.get(language.split("-")[0])


def localized(instance: models.Model, field: str, language: str | None = None) -> str:
    """The field's text in ``language`` (default: the active one), else the base text, else the text in
    any other language (a profile written only in Spanish is shown to every visitor)."""
    suffix = content_suffix(language)
    if suffix:
        text = getattr(instance, f"{field}_{suffix}", "")
        if text:
            return text
    text = getattr(instance, field)
    if not text:
        text = next(
            (
                getattr(instance, name, "")
                for name in translated_fields(field)[1:]
                if getattr(instance, name, "")
            ),
            "",
        )
    return text


def original_language(instance: models.Model) -> str:
    """The language the content was written in (``original_language`` where a model records it)."""
    return getattr(instance, "original_language", "") or InterfaceLanguage.ENGLISH


def has_text_in(instance: models.Model, field: str, language: str) -> bool:
    """Whether ``field`` has its own text in ``language``: the original's language always has; English
    has when the base text is not a copy of the original (a non-English original is kept in its own
    column, and copied to the base field until someone translates it into English)."""
    original = original_language(instance)
    if content_suffix(language) == content_suffix(original):
        return True
    suffix = content_suffix(language)
    if suffix:
        return bool(getattr(instance, f"{field}_{suffix}", ""))
    base = getattr(instance, field)
    return bool(base) and base != getattr(instance, f"{field}_{content_suffix(original)}", "")


def missing_languages(instance: models.Model, fields: list[str]) -> list[str]:
    """The interface languages some of ``fields`` have no text in (the translation queue's)."""
    return [
        code
        for code, _name in settings.LANGUAGES
        if not all(has_text_in(instance, field, code) for field in fields if getattr(instance, field))
    ]


def translation_into(instance: models.Model, field: str, language: str | None = None) -> str:
    """The field's translation into ``language`` (default: the active one); blank where there is none,
    and in the language of the base text (English)."""
    suffix = content_suffix(language)
    return getattr(instance, f"{field}_{suffix}", "") if suffix else ""


def translated_fields(field: str) -> list[str]:
    """The column names of a translatable field, base first: ``["title", "title_es", "title_zh"]``."""
    return [field, *(f"{field}_{suffix}" for suffix in CONTENT_LANGUAGE_SUFFIXES.values())]


def path_in_language(path: str, language: str) -> str:
    """``path`` (with its query string) as the same page in ``language``.

    A page under i18n_patterns is reversed in the other language (``/es/cities/`` -> ``/zh-hans/cities/``,
    ``/cities/`` for English, which has no prefix); a page outside them (the admin) keeps its address,
    and its language comes from the cookie the switcher sets. An address that matches no page keeps its
    tail under the other prefix. The path is resolved in its own language, because the prefix that
    ``resolve`` accepts is the active language's.
    """
    parts = urlsplit(path)
    current = translation.get_language_from_path(parts.path)
    target = parts.path
    with translation.override(current or settings.LANGUAGE_CODE):
        try:
            match = resolve(parts.path)
        except Resolver404:
            match = None
    if match is not None and match.url_name:
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        with translation.override(language):
            try:
                target = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                target = parts.path
    elif match is None:
        tail = parts.path[len(current) + 1 :] if current else parts.path
        if not tail.startswith(settings.UNPREFIXED_PAGE_PATHS):
            target = tail if language == settings.LANGUAGE_CODE else f"/{language}{tail}"
    return urlunsplit(("", "", target, parts.query, ""))


def language_versions(path: str, current: str) -> list[dict]:
    """The page at ``path`` in each interface language: code, name in that language, address, and
    whether it is the one shown; ``has_versions`` is false for pages with one address for all (the admin)."""
    versions = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        versions.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "path": path_in_language(path, code),
                "is_current": code == current,
            }
        )
    return versions
