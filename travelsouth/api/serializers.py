"""Fields shared by every resource's serializers."""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from travelsouth.i18n import (
    column,
    interface_language,
    language_codes,
    localized,
    original_language,
    shown_language,
    text_in,
)


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """The absolute URL of the related resource ``basename`` whose id is the source value."""

    def __init__(self, basename: str, **kwargs):
        self.basename = basename
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # The id, without loading the related row: "city" reads instance.city_id.
        if self.source == "*":
            return instance.pk
        attname = f"{self.source}_id"
        return getattr(instance, attname) if hasattr(instance, attname) else super().get_attribute(instance)

    def to_representation(self, value):
        pk = getattr(value, "pk", value)
        return self.context["links"].detail(self.basename, pk)


class RefSerializer(serializers.Serializer):
    """A link to another resource: its id, URL and name."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()


@extend_schema_field(RefSerializer)
class RefField(serializers.Field):
    """A link to the related object at the source (resource ``basename``): its id, URL and name
    (``name``: the object's attribute that names it; ``str`` for its text). Null when there is none."""

    def __init__(self, basename: str, *, name: str = "name", **kwargs):
        self.basename = basename
        self.name = name
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        label = str(value) if self.name == "str" else getattr(value, self.name)
        return ref(self.context["links"], self.basename, value.pk, label)


def ref(links, basename: str, pk, name: str) -> dict | None:
    return None if pk is None else {"id": pk, "url": links.detail(basename, pk), "name": name}


def number(value) -> float | None:
    return None if value is None else float(value)


# --- Translated texts ------------------------------------------------------------------------------
# A translated field is served in the language asked for (?lang=, else Accept-Language:
# travelsouth.middleware), falling back to the original's text, then English; beside it, its text in
# each language (blank when not translated), and per object the language served and the original one.


def _language_help(language: str) -> str:
    name = dict(settings.LANGUAGES)[language]
    return gettext("Its text in %(language)s; empty when not translated.") % {"language": gettext(name)}


@extend_schema_field(OpenApiTypes.STR)
class LocalizedField(serializers.Field):
    """A translated field's text in the language served (``travelsouth.i18n.localized``)."""

    def __init__(self, field: str, **kwargs):
        self.field = field
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault(
            "help_text",
            _("In the language asked for; else in its original language, or English, when not translated."),
        )
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return localized(instance, self.field)


@extend_schema_field(OpenApiTypes.STR)
class ServedLanguageField(serializers.Field):
    """The language of the text served for ``field``: the one asked for, else the one it fell back to."""

    def __init__(self, field: str, **kwargs):
        self.field = field
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault(
            "help_text",
            _("The language of the texts served: the one asked for, else the one shown when not translated."),
        )
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return shown_language(instance, self.field) or interface_language()


@extend_schema_field(OpenApiTypes.STR)
class OriginalLanguageField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", _("The language it was written in."))
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return original_language(instance)


def with_translations(*fields: str):
    """Class decorator for a serializer: each of ``fields`` (declared in the class) served in the
    language asked for, followed by a field per language (``title_en``, ``title_es``, ...), and
    ``language`` and ``original_language`` last. The first field names the object's language."""

    def decorate(serializer_class):
        declared = {}
        for name, declared_field in serializer_class._declared_fields.items():
            if name in fields:
                declared[name] = LocalizedField(name)
                for code in language_codes():
                    declared[column(name, code)] = serializers.CharField(
                        read_only=True, help_text=lazy(_language_help, str)(code)
                    )
            else:
                declared[name] = declared_field
        declared["language"] = ServedLanguageField(fields[0])
        declared["original_language"] = OriginalLanguageField()
        serializer_class._declared_fields = declared
        return serializer_class

    return decorate


def translated_row(row, *fields: str) -> dict:
    """What ``with_translations`` serves, for a ``values()`` row with every column of ``fields``."""
    served = {}
    for field in fields:
        served[field] = localized(row, field)
        served.update({column(field, code): text_in(row, field, code) for code in language_codes()})
    return served


def row_languages(row, main_field: str) -> dict:
    return {
        "language": shown_language(row, main_field) or interface_language(),
        "original_language": original_language(row),
    }
