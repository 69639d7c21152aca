"""Which values came from the data set, and whether anyone edited them since (report.models.LoadedRow).

A load creates what is missing. For a row that exists it compares three things, field by field: what
the row holds now, what the loader wrote last time (its record), and what the data set says now.

- The data set says nothing new: nothing to do (a staff edit stays).
- The data set has new values, and nobody edited the row since the last load: with ``--update`` they
  are written; without, the row is skipped and the summary says so.
- Somebody edited the row since (a value differs from what was loaded): skipped, always, and said.
- The row was deleted (or its natural key changed) since: not created again, and said.
- The row exists but has no record (loaded before records were kept): if it matches the data set it
  is adopted; if not, nobody can tell whose values those are, so it is left alone and said.

Each of a row's lists (a city's languages, a practice's themes) is judged the same way on its own.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .models import LoadedRow


class Withheld:
    """Stands for a row the loader did not write (deleted since, or depending on one that was): rows
    that refer to it are withheld too."""

    pk = None

    def __repr__(self) -> str:
        return "<withheld>"

    def __bool__(self) -> bool:
        return False


WITHHELD = Withheld()


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        value = value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


class Provenance:
    def __init__(self, *, update: bool) -> None:
        self.update = update
        self.records: dict[tuple[str, str], LoadedRow] = {
            (record.model, record.key): record for record in LoadedRow.objects.all()
        }
        self._of_row: dict[tuple[str, Any], LoadedRow] = {}
        self._changed: dict[tuple[str, str], LoadedRow] = {}
        self._seen: dict[tuple[str, str], str] = {}

    @staticmethod
    def key(model: type[models.Model], lookup: dict[str, Any]) -> tuple[str, str]:
        return label_of(model), json.dumps(
            {name: _plain(value) for name, value in lookup.items()}, sort_keys=True, ensure_ascii=False
        )

    def first_seen(self, key: tuple[str, str], where: str) -> str | None:
        """Where this natural key was met before in this load (None the first time)."""
        earlier = self._seen.get(key)
        if earlier is None:
            self._seen[key] = where
        return earlier

    @staticmethod
    def values_of(instance: models.Model, names) -> dict[str, Any]:
        fields = {field.name: field for field in instance._meta.concrete_fields}
        return {name: _plain(getattr(instance, fields[name].attname)) for name in names}

    @staticmethod
    def wanted(values: dict[str, Any]) -> dict[str, Any]:
        return {name: _plain(value) for name, value in values.items()}

    def record(self, key: tuple[str, str]) -> LoadedRow | None:
        return self.records.get(key)

    def record_of(self, instance: models.Model) -> LoadedRow | None:
        return self._of_row.get((label_of(type(instance)), instance.pk))

    def remember(self, key: tuple[str, str], instance: models.Model, values: dict[str, Any]) -> None:
        """Record (or update) what was taken from the data set for this row."""
        record = self.records.get(key)
        if record is None:
            record = LoadedRow(model=key[0], key=key[1], object_id=str(instance.pk), values={})
            self.records[key] = record
        record.values = {**record.values, **values}
        record.object_id = str(instance.pk)
        self.track(record, instance)
        self._changed[key] = record

    @staticmethod
    def key_of_record(record: LoadedRow) -> tuple[str, str]:
        return record.model, record.key

    def track(self, record: LoadedRow, instance: models.Model) -> None:
        self._of_row[(label_of(type(instance)), instance.pk)] = record

    def forget(self, rows: models.QuerySet) -> None:
        """Drop the records of rows the loader is deleting because the data set dropped them: should the
        data set bring a row back, it is created again (a record without its row means staff deleted it)."""
        label = label_of(rows.model)
        ids = {str(pk) for pk in rows.values_list("pk", flat=True)}
        if not ids:
            return
        LoadedRow.objects.filter(model=label, object_id__in=ids).delete()
        for key in [
            key for key, record in self.records.items() if key[0] == label and record.object_id in ids
        ]:
            del self.records[key]
            self._changed.pop(key, None)

    def save(self) -> None:
        """Write the records this load made or changed (two statements, whatever their number)."""
        now = timezone.now()
        for record in self._changed.values():
            record.loaded_at = now
        new = [record for record in self._changed.values() if record.pk is None]
        known = [record for record in self._changed.values() if record.pk is not None]
        LoadedRow.objects.bulk_create(new, batch_size=500)
        LoadedRow.objects.bulk_update(known, ["values", "object_id", "loaded_at"], batch_size=500)
        self._changed = {}
