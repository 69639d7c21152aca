"""Content written in several languages, through django-modeltranslation (docs/languages.md).

A translatable field ``title`` has one column per interface language, named by modeltranslation
(``title_en``, ``title_es``, ``title_zh_hans``: the language code with "-" as "_"), generated from
``settings.LANGUAGES``; the base column ``title`` keeps the English text, or the original's where there
is no English (``TranslatedContent.save``), for queries that know no language. Reading ``title`` gives
the active language's text with modeltranslation's fallback; ``localized`` falls back to the content's
original language first.
"""

import warnings
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from modeltranslation.utils import build_localized_fieldname


class InterfaceLanguage(models.TextChoices):
    """The series' languages, by name (a further language comes from settings: ``language_codes``)."""

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


def language_codes() -> list[str]:
    """The interface languages (``settings.LANGUAGES``), English first."""
    return [code for code, _name in settings.LANGUAGES]


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def interface_language(language: str | None = None) -> str:
    """``language`` (default: the active one) as one of the interface languages: "zh", "zh-cn" ->
    "zh-hans"; anything else -> English."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    if language in language_codes():
        return language
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return settings.LANGUAGE_CODE


def content_suffix(language: str | None = None) -> str:
    """The column suffix of ``language`` (default: the active one): "en", "es", "zh_hans"."""
    return build_localized_fieldname("", interface_language(language))[1:]


def column(field: str, language: str | None = None) -> str:
    """The column holding ``field`` in ``language``: ``column("title", "zh-hans") == "title_zh_hans"``."""
    return build_localized_fieldname(field, interface_language(language))


def original_language(instance) -> str:
    """The language the content was written in (``original_language`` where a model records it)."""
    return _value(instance, "original_language") or settings.LANGUAGE_CODE


def fallback_order(language: str | None = None, original: str | None = None) -> list[str]:
    """The languages to read a text in: the visitor's, the content's original, English, then the others."""
    order = [interface_language(language), *([original] if original else []), *language_codes()]
    return list(dict.fromkeys(order))


def _value(instance, name: str):
    """An attribute of a model instance, or a key of a ``values()`` row."""
    if isinstance(instance, Mapping):
        return instance.get(name)
    return getattr(instance, name, None)


def localized(instance, field: str, language: str | None = None) -> str:
    """The field's text in ``language`` (default: the active one), else in the content's original
    language, else English, else any language that has it (a profile written only in Spanish is
    shown to every visitor). ``instance`` may be a ``values()`` row with the columns."""
    for code in fallback_order(language, original_language(instance)):
        text = _value(instance, column(field, code))
        if text:
            return text
    return _value(instance, field) or ""


def shown_language(instance, field: str, language: str | None = None) -> str:
    """The language of the text ``localized`` shows in ``language`` (blank when there is none)."""
    for code in fallback_order(language, original_language(instance)):
        if text_in(instance, field, code):
            return code
    return ""


def untranslated_from(instance, field: str, language: str | None = None) -> str:
    """The name of the language ``field`` is shown in when it has no text in ``language`` (default:
    the active one), for the note "Original language: ..."; blank when it is shown in ``language``."""
    shown = shown_language(instance, field, language)
    if not shown or shown == interface_language(language):
        return ""
    return str(dict(settings.LANGUAGES)[shown])


def text_in(instance, field: str, language: str) -> str:
    """The field's own text in ``language``, without fallback (blank where there is none)."""
    return _value(instance, column(field, language)) or ""


def has_text_in(instance, field: str, language: str) -> bool:
    """Whether ``field`` has its own text in ``language``."""
    return bool(text_in(instance, field, language))


def missing_languages(instance, fields: list[str]) -> list[str]:
    """The interface languages some of ``fields`` have no text in (the translation queue's)."""
    return [
        code
        for code in language_codes()
        if not all(has_text_in(instance, field, code) for field in fields if localized(instance, field))
    ]


def translation_into(instance, field: str, language: str | None = None) -> str:
    """The field's translation into ``language`` (default: the active one); blank where there is none,
    and in the content's original language."""
    language = interface_language(language)
    if language == interface_language(original_language(instance)):
        return ""
    return text_in(instance, field, language)


def translated_fields(field: str) -> list[str]:
    """The column names of a translatable field, base first: ``["title", "title_en", "title_es", ...]``."""
    return [field, *(column(field, code) for code in language_codes())]


def translation_columns(field: str) -> list[str]:
    """The columns of a field's translations out of English: ``["title_es", "title_zh_hans", ...]``."""
    return [column(field, code) for code in language_codes() if code != settings.LANGUAGE_CODE]


def contains_text(search: str, *fields: str) -> models.Q:
    """Any of ``fields`` (``"name"``, ``"country__name"``) contains ``search`` in any language."""
    condition = models.Q()
    for field in fields:
        for name in translated_fields(field):
            condition |= models.Q(**{f"{name}__icontains": search})
    return condition


def texts_by_column(field: str, texts: Mapping[str, str]) -> dict[str, str]:
    """``{"es": "Ciudad del Cabo"}`` as columns, ``{"name_es": "Ciudad del Cabo"}`` (unknown languages
    are refused: a typo would lose the text)."""
    unknown = set(texts) - set(language_codes())
    if unknown:
        raise ValueError(f"Not an interface language: {', '.join(sorted(unknown))}")
    return {column(field, code): (text or "").strip() for code, text in texts.items()}


def register_translated(model: type[models.Model], fields: Iterable[str]) -> None:
    """Give ``model`` a column per interface language for each of ``fields`` (modeltranslation).

    modeltranslation makes the columns (named from ``settings.LANGUAGES``, in migrations), and the
    admin's forms. Its implicit reading and writing in the active language is left out, on purpose: in
    this code base ``title`` always means the base column (``BaseText``), a query on ``title`` queries
    that column (the model's managers stay Django's), and the visitor's text is asked for explicitly
    (``localized``, ``display_title``). So a save on a Chinese page cannot put Chinese into the base
    column, and ``filter(name=...)`` means the same on every page.

    The translations are not unique where the base field is (a blank Spanish name is no conflict):
    uniqueness stays on the base column, and so do the indexes; they are NOT NULL where it is.
    """
    from modeltranslation.fields import TranslationField
    from modeltranslation.translator import TranslationOptions, translator

    fields = tuple(fields)
    options = type(f"{model.__name__}TranslationOptions", (TranslationOptions,), {"fields": fields})
    indexes, constraints = list(model._meta.indexes), list(model._meta.constraints)
    unique_together = model._meta.unique_together
    init, options_class = model.__init__, model._meta.__class__
    manager_classes = {manager.name: manager.__class__ for manager in model._meta.managers}
    with warnings.catch_warnings():
        # modeltranslation copies each index and unique constraint on a translated field per language
        # (warning of long names); the base column's serve: the lists order by an expression per
        # language anyway, and blank translations must not collide.
        warnings.simplefilter("ignore", UserWarning)
        translator.register(model, options)
    model._meta.indexes, model._meta.constraints = indexes, constraints
    model._meta.unique_together = unique_together
    model._meta.__class__ = options_class
    for manager in model._meta.local_managers:
        manager.__class__ = manager_classes.get(manager.name, manager.__class__)
    model._meta._expire_cache()
    model.__init__ = _init_with_base_texts(init, fields)
    for field in fields:
        setattr(model, field, BaseText(field))
    for field in model._meta.get_fields():
        if isinstance(field, TranslationField):
            # Not NULL like the base column (an untranslated text is blank: modeltranslation's fallback
            # skips blanks as it skips NULLs, and readers never meet None), optional, never unique.
            field.null = field.translated_field.null
            field._unique = False
            field._field_options_kwargs = {
                "blank": True,
                **({"unique": False} if field.translated_field.unique else {}),
            }


class BaseText:
    """``instance.title``: the base column, which holds the English, else the original language's
    text (``TranslatedContent.save``). Assigning it writes the English too (``title_en``)."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.field not in instance.__dict__ and instance.pk is not None:
            instance.refresh_from_db(fields=[self.field])  # deferred (only(), defer()), as Django would
        return instance.__dict__.get(self.field, "")

    def __set__(self, instance, value) -> None:
        instance.__dict__[self.field] = value
        # Not while loading a row, nor while full_clean() writes the cleaned value back (modeltranslation
        # flags that with _mt_disable).
        if not (instance.__dict__.get("_loading_base_texts") or instance.__dict__.get("_mt_disable")):
            instance.__dict__[column(self.field, settings.LANGUAGE_CODE)] = value


def _init_with_base_texts(init, fields: tuple[str, ...]):
    """``Model(title="...")`` sets ``title_en`` too, unless given; rows read from the database keep
    their columns as they are."""

    def __init__(self, *args, **kwargs):
        for field in fields:
            if field in kwargs:
                kwargs.setdefault(column(field, settings.LANGUAGE_CODE), kwargs[field])
        self.__dict__["_loading_base_texts"] = True
        try:
            init(self, *args, **kwargs)
        finally:
            self.__dict__.pop("_loading_base_texts", None)

    return __init__


class TranslatedContent(models.Model):
    """A model with translated fields (``register_translated``): saved, each base column gets the
    English text, else the original language's, else any language's (queries that know no language,
    and the slugs, read the base column)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_base_texts()
        super().save(*args, **kwargs)

    def fill_base_texts(self) -> None:
        original = original_language(self)
        for field in _translated_field_names(type(self)):
            for code in fallback_order(settings.LANGUAGE_CODE, original):
                text = self.__dict__.get(column(field, code))
                if text:
                    self.__dict__[field] = text
                    break

    def clean_fields(self, exclude=None):
        self.fill_base_texts()
        super().clean_fields(exclude=exclude)


def _translated_field_names(model: type[models.Model]) -> list[str]:
    from modeltranslation.translator import translator

    return list(translator.get_options_for_model(model).all_fields)


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
