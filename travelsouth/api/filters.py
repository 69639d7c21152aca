"""Strict filter fields: a query parameter the schema accepts is accepted, anything else is a 400.

django-filter's own fields are lenient (``?global_south=maybe`` is ignored, ``?sdg=1.5`` matches
nothing); partners deserve a reason instead. Each filter here also writes its exact OpenAPI schema
(type, pattern, bounds), so the documentation and the validation cannot drift apart.
"""

import re
from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 8


class _NonBlank:
    """A parameter that is present must have a value: ``?country=`` is a mistake, not "no filter"."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError(_("This parameter may not be blank."), code="blank")
        return super().clean(value)


class StrictBooleanField(_NonBlank, forms.Field):
    TRUE, FALSE = {"true", "1"}, {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")


class _StrictIntegerField(_NonBlank, forms.IntegerField):
    def to_python(self, value):
        # IntegerField would take "3.0" or " 3 "; the schema says digits.
        if value not in (None, "") and not re.fullmatch(r"-?[0-9]{1,9}", str(value)):
            raise forms.ValidationError(_("Enter a whole number."), code="invalid")
        return super().to_python(value)


class _StrictCharField(_NonBlank, forms.CharField):
    pass


def _document(filter_field, schema: dict):
    """Give drf-spectacular the exact schema, with the filter's help text as its description."""
    help_text = filter_field.extra.get("help_text")
    set_override(filter_field, "field", {**schema, **({"description": str(help_text)} if help_text else {})})


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _document(self, {"type": "boolean"})


class IntegerFilter(django_filters.NumberFilter):
    field_class = _StrictIntegerField

    def __init__(self, *args, minimum: int = 1, maximum: int = 2**31 - 1, **kwargs):
        super().__init__(*args, min_value=minimum, max_value=maximum, **kwargs)
        _document(self, {"type": "integer", "minimum": minimum, "maximum": maximum})


class CodeFilter(django_filters.CharFilter):
    """An identifier partners know (ISO code, slug, M49 code), checked against its pattern."""

    field_class = _StrictCharField

    def __init__(self, *args, pattern: str, max_length: int, **kwargs):
        super().__init__(
            *args,
            validators=[RegexValidator(f"^(?:{pattern})$", _("Not a valid value: see the pattern."))],
            max_length=max_length,
            **kwargs,
        )
        set_override(
            self, "field", {"type": "string", "pattern": f"^(?:{pattern})$", "maxLength": max_length}
        )


class ChoiceFilter(django_filters.ChoiceFilter):
    field_class = type("StrictChoiceField", (_NonBlank, django_filters.fields.ChoiceField), {})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, choices=choices, **kwargs)
        _document(self, {"type": "string", "enum": [value for value, _label in choices]})


def search_filter(*fields: str, help_text=None) -> django_filters.CharFilter:
    """``?q=``: every word must appear (case-insensitively) in at least one of ``fields``.

    Plain ``icontains`` behaves the same on SQLite and PostgreSQL, needs no search index to be kept
    in sync, and is cheap on the page-sized lists it serves.
    """

    def search(queryset, name, value):
        words = value.split()[:SEARCH_MAX_WORDS]
        if not words:
            return queryset
        return queryset.filter(
            reduce(
                and_,
                (reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)) for word in words),
            )
        )

    search_field = django_filters.CharFilter(
        method=search,
        max_length=SEARCH_MAX_LENGTH,
        help_text=help_text or _("Words to look for (all of them), e.g. heritage app."),
    )
    _document(search_field, {"type": "string", "maxLength": SEARCH_MAX_LENGTH})
    return search_field


ISO_COUNTRY = r"[A-Za-z]{2}"
M49_CODE = r"[0-9]{3}"
SLUG = r"[-a-zA-Z0-9_]+"
LANGUAGE_CODE = r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})?"
