"""What the report loader's parts share: its error, its summary and small value helpers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone


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
    return [f"{name}{suffix}" for name in fields for suffix in ("", "_es", "_zh")]


def decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ReportDataError(f"expected a number, not {value!r}.")
    return Decimal(str(value)).quantize(Decimal("0.00001"))


def aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
