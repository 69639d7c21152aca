"""Strict filter fields: a query parameter the schema accepts is accepted, anything else is a 400.

django-filter's own fields are lenient (``?global_south=maybe`` is ignored, ``?sdg=1.5`` matches
nothing); partners deserve a reason instead. Each filter here also writes its exact OpenAPI schema
(type, pattern, bounds), so the documentation and the validation cannot drift apart.
"""

import copy
import re
from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.forms.utils import ErrorDict, ErrorList
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 8


class ApiFilterSet(django_filters.FilterSet):
    """A FilterSet that validates only the parameters present, without building a form per request.

    django-filter deep-copies every filter and builds a form class and its fields on each request;
    on the API's busiest lists that cost more than the query. Here each filter's form field is built
    once per process (form fields are stateless when cleaning) and only parameters actually sent are
    cleaned. The browsable API still gets django-filter's form through ``self.form``.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.is_bound = data is not None
        self.data = data or {}
        self.queryset = queryset if queryset is not None else self._meta.model._default_manager.all()
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base_filter in self.base_filters.items():
            filter_ = copy.copy(base_filter)
            filter_.model, filter_.parent = self.queryset.model, self
            if base_filter.method is not None:
                filter_.method = base_filter.method  # rebinds the copy's FilterMethod to the copy
            self.filters[name] = filter_

    @classmethod
    def _field(cls, name):
        fields = cls.__dict__.get("_fields")
        if fields is None:
            fields = cls._fields = {}
        if name not in fields:
            fields[name] = copy.deepcopy(cls.base_filters[name]).field
        return fields[name]

    @cached_property
    def _cleaned(self) -> tuple[dict, dict]:
        values, errors = {}, {}
        for name in self.filters:
            if name not in self.data:
                continue
            try:
                values[name] = self._field(name).clean(self.data.get(name))
            except forms.ValidationError as error:
                errors[name] = ErrorList(error.error_list)
        return values, ErrorDict(errors)

    def is_valid(self):
        return self.is_bound and not self._cleaned[1]

    @property
    def errors(self):
        return self._cleaned[1]

    def filter_queryset(self, queryset):
        for name, value in self._cleaned[0].items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.queryset.all()) if self.is_bound else self.queryset.all()
        return self._qs


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
        if value not in (None, "") and not re.fullmatch(r"-?[0-9]{1,10}", str(value)):
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
