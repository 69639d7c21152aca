"""Reading the data set strictly, and saying where it is wrong: the file, the line, the row, the field.

The YAML is read into ``Row`` mappings that remember their file and line. A key twice in one mapping
is refused while reading (PyYAML would quietly keep the last). While the loader works, the row it read
a field from last, and that field, are remembered, so that whatever goes wrong (a wrong type, a
missing field, a rule of the model, the same natural key twice) is reported against that row rather
than as a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import models

from .common import ReportDataError

# libyaml's parser when PyYAML was built with it (the wheels are): the same data, ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_last_read: list[Row | None] = [None]  # the row a field was read from last


class MissingField(ReportDataError, KeyError):
    def __str__(self) -> str:
        return self.args[0]


class Row(dict):
    """A mapping of the data set, with its file and line, and the field the loader read last."""

    source: str = ""
    line: int = 0
    last_field: str | None = None

    def __getitem__(self, key):
        self.last_field, _last_read[0] = key, self
        try:
            return super().__getitem__(key)
        except KeyError:
            raise MissingField(f"the field {key!r} is missing") from None

    def get(self, key, default=None):
        self.last_field, _last_read[0] = key, self
        return super().get(key, default)

    def label(self) -> str:
        """How the row is named in a message: its natural key when it has one."""
        for key in ("slug", "code", "iso", "key", "number", "order", "name", "platform"):
            if key in self and not isinstance(dict.__getitem__(self, key), dict | list):
                return f"{key} {dict.__getitem__(self, key)!r}"
        return "entry"

    def where(self) -> str:
        return f"{self.source}, line {self.line}, {self.label()}"


def _strict_loader(source: str) -> type:
    class StrictLoader(SAFE_LOADER):
        pass

    def mapping(loader, node):
        loader.flatten_mapping(node)
        row = Row()
        row.source, row.line = source, node.start_mark.line + 1
        yield row
        first_seen: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in first_seen:
                raise ReportDataError(
                    f"{source}, line {key_node.start_mark.line + 1}: the key {key!r} appears twice in one "
                    f"entry (first on line {first_seen[key]}); PyYAML would silently keep the last."
                )
            first_seen[key] = key_node.start_mark.line + 1
            dict.__setitem__(row, key, loader.construct_object(value_node, deep=True))

    StrictLoader.add_constructor("tag:yaml.org,2002:map", mapping)
    return StrictLoader


def read_yaml(path: Path):
    """The data of one YAML file, its mappings as Rows; a syntax error or a repeated key names the line."""
    with open(path, encoding="utf-8") as data_file:
        text = data_file.read()
    try:
        return yaml.load(text, Loader=_strict_loader(path.name))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise ReportDataError(f"{path.name}{where}: not valid YAML ({problem}).") from None
    except yaml.YAMLError as error:
        raise ReportDataError(f"{path.name}: not valid YAML ({error}).") from None


def loading_row() -> Row | None:
    """The row the loader read a field from last: the one it is loading."""
    return _last_read[0]


def where_now() -> str:
    row = loading_row()
    return f"{row.where()}: " if row is not None else ""


def _explained(error: Exception, row: Row | None) -> str:
    field = row.last_field if row is not None else None
    if isinstance(error, ReportDataError):
        return str(error)
    if isinstance(error, InvalidOperation):
        return f"{field}: expected a number"
    if isinstance(error, TypeError | AttributeError):
        value = dict.get(row, field) if row is not None and field is not None else None
        described = f"{value!r} ({type(value).__name__})" if field is not None else "a value"
        return f"{field}: wrong type, {described}" if field else f"wrong type ({error})"
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return f"{type(error).__name__}: {error}"


@contextlib.contextmanager
def reported_against_the_row() -> Iterator[None]:
    """Turn any error raised while loading into a ReportDataError naming the file, line, row and field."""
    _last_read[0] = None
    try:
        yield
    except ReportDataError as error:
        if getattr(error, "located", False):
            raise
        row = loading_row()
        raise _located(f"{where_now()}{error}" if row is not None else str(error)) from None
    except (TypeError, ValueError, KeyError, AttributeError, InvalidOperation, ValidationError) as error:
        row = loading_row()
        raise _located(f"{where_now()}{_explained(error, row)}") from error


def _located(message: str) -> ReportDataError:
    error = ReportDataError(message)
    error.located = True
    return error


def expected_type(field, value) -> str:
    """What a model field wants that ``value`` is not ("" if it fits): the data set's types are checked
    before Django would quietly turn 42 into "42" or fail with a traceback."""
    if value is None:
        return ""
    if isinstance(field, models.BooleanField):
        return "" if isinstance(value, bool) else "true or false"
    if isinstance(field, models.IntegerField):
        return "" if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    if isinstance(field, models.FloatField | models.DecimalField):
        return "" if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else "a number"
    if isinstance(field, models.DateTimeField):
        return "" if isinstance(value, dt.datetime) else "a date and time"
    if isinstance(field, models.DateField):
        return "" if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else "a date"
    if isinstance(field, models.CharField | models.TextField):
        return "" if isinstance(value, str) else "text"
    return ""
