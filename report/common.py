"""What the report loader's parts share: its error, its summary and small value helpers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone

from travelsouth.i18n import translation_columns


class ReportDataError(ValueError):
    """The data file refers to something it does not define, or breaks a rule of the model."""


@dataclass
class LoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    # What the load left alone, and why (edited or deleted since, new values without --update).
    skipped: list[str] = field(default_factory=list)

    def record(self, model: type[models.Model], outcome: str) -> None:
        getattr(self, outcome)[model._meta.verbose_name_plural] += 1

    def skip(self, why: str) -> None:
        self.skipped.append(why)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, {self.unchanged[name]} unchanged"
            for name in names
        ]


def translated(*fields: str) -> list[str]:
    """The data set's names of ``fields`` and their translations: ``title``, ``title_es``,
    ``title_zh_hans``... (the English in the base name)."""
    return [name for field in fields for name in (field, *translation_columns(field))]


def row_translations(row: dict, field: str) -> dict[str, str]:
    """A data set row's translations of ``field``, by column (``name_es``, ``name_zh_hans``...: the data
    set names them as the columns are named), blank where the row has none."""
    return {name: row.get(name, "") for name in translation_columns(field)}


def decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ReportDataError(f"expected a number, not {value!r}.")
    return Decimal(str(value)).quantize(Decimal("0.00001"))


def aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
