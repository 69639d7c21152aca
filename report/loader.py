"""The report loader: finds every record by its natural key and writes only what differs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models

from cities.models import (
    City,
    Country,
    GoodPractice,
    HeritageSite,
    Language,
    Organisation,
    Person,
    Region,
    SustainableDevelopmentGoal,
    Theme,
)
from partnerships.models import DevelopmentPriority, Interest
from travelsouth.i18n import column, language_codes
from webinars.models import AgendaItem, ViewCount, Webinar, WebinarSeries

from .common import LoadSummary, ReportDataError, decimal, row_translations, translated
from .provenance import WITHHELD, Provenance
from .quote_loading import QuoteLoading
from .survey_loading import SurveyLoading
from .validation import expected_type, where_now


def validate(instance: models.Model) -> None:
    """``full_clean`` without its queries: the field values and the model's own rules (``clean``).
    Whether a related row exists is not asked: the loader sets relations only to rows it has just
    found or written. Unique and check constraints are left to the database, which enforces them when
    the row is written (``ReportLoader.write`` reports a violation). Asking first made two fifths of
    a load's queries."""
    held = {
        field.name
        for field in instance._meta.concrete_fields
        if field.many_to_one and getattr(instance, field.attname) is not None
    }
    instance.full_clean(exclude=held, validate_unique=False, validate_constraints=False)


def _key_text(lookup: dict[str, Any]) -> str:
    return ", ".join(f"{name}={value}" for name, value in lookup.items())


def described(error: ValidationError | IntegrityError) -> str:
    if isinstance(error, IntegrityError):
        return str(error).strip().splitlines()[0]  # the rule; PostgreSQL adds the whole row as DETAIL
    return "; ".join(
        f"{name}: {' '.join(messages)}" if name != NON_FIELD_ERRORS else " ".join(messages)
        for name, messages in error.message_dict.items()
    )


class ReportLoader(SurveyLoading, QuoteLoading):
    def __init__(self, *, update: bool = False) -> None:
        self.summary = LoadSummary()
        self.provenance = Provenance(update=update)
        self.languages: dict[str, Language] = {}
        self.regions: dict[str, Region] = {}
        self.countries: dict[str, Country] = {}
        self.themes: dict[str, Theme] = {}
        self.sdgs: dict[int, SustainableDevelopmentGoal] = {}
        self.priorities: dict[str, DevelopmentPriority] = {}
        self.organisations: dict[str, Organisation] = {}
        self.cities: dict[str, City] = {}
        self.people: dict[str, Person] = {}
        self.webinars: dict[int, Webinar] = {}
        self.created_in_this_run: set[tuple[type, int]] = set()
        # English text as printed -> its Spanish and Chinese (data/report/translations.yaml).
        self.glossary: dict[str, dict[str, str]] = {}

    # --- generic writing -------------------------------------------------------------------------

    def upsert(self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        """The row ``lookup`` names, created from ``values`` when it is missing. An existing row takes
        the data set's new values only with ``--update`` and only if nobody edited it since the last
        load (report/provenance.py); whatever is left alone is said in the summary."""
        name = f"{model._meta.verbose_name.capitalize()} ({_key_text(lookup)})"
        if any(value is WITHHELD for value in (*lookup.values(), *values.values())):
            self.summary.skip(f"{name}: not loaded, it refers to a row deleted since the last load.")
            return WITHHELD
        self.check_types(model, {**lookup, **values})
        key = self.provenance.key(model, lookup)
        earlier = self.provenance.first_seen(key, where_now().rstrip(": ") or "earlier")
        if earlier is not None:
            raise ReportDataError(f"{name} is in the data set twice (first at {earlier}).")
        record = self.provenance.record(key)
        wanted = self.provenance.wanted(values)
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            if record is not None:
                self.summary.skip(
                    f"{name}: deleted (or its key changed) since the last load; not created again."
                )
                return WITHHELD
            instance = model(**lookup, **values)
            self.write(instance, lookup)
            self.created_in_this_run.add((model, instance.pk))
            self.provenance.remember(key, instance, wanted)
            self.summary.record(model, "created")
            return instance
        current = self.provenance.values_of(instance, values)
        if record is None:
            if current == wanted:  # loaded before records were kept: the data set's own values
                self.provenance.remember(key, instance, wanted)
                self.summary.record(model, "unchanged")
            else:
                differing = ", ".join(field for field in values if current[field] != wanted[field])
                self.summary.skip(
                    f"{name}: differs from the data set ({differing}) with no record of who set it; left as it is."
                )
            return instance
        self.provenance.track(record, instance)
        loaded = record.values
        edited = [field for field in values if field in loaded and current[field] != loaded[field]]
        new = [field for field in values if wanted[field] != loaded.get(field, current[field])]
        if not new:
            self.summary.record(model, "unchanged")
        elif not self.provenance.update:
            self.summary.skip(
                f"{name}: the data set has new values for {', '.join(new)}; load_report --update takes them."
            )
        elif edited:
            self.summary.skip(
                f"{name}: edited since the last load ({', '.join(edited)}); the data set's new values "
                f"for {', '.join(new)} were not taken."
            )
        else:
            for field in new:
                setattr(instance, field, values[field])
            update_fields = new
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                update_fields = [*new, "updated_at"]
            self.write(instance, lookup, update_fields=update_fields)
            self.provenance.remember(key, instance, wanted)
            self.summary.record(model, "updated")
        return instance

    @staticmethod
    def check_types(model: type[models.Model], values: dict[str, Any]) -> None:
        fields = {field.name: field for field in model._meta.concrete_fields}
        for field_name, value in values.items():
            field = fields.get(field_name)
            wanted = expected_type(field, value) if field is not None else ""
            if wanted:
                raise ReportDataError(
                    f"{field_name}: expected {wanted}, not {value!r} ({type(value).__name__})."
                )

    @staticmethod
    def write(instance: models.Model, lookup: dict[str, Any], **save_options: Any) -> None:
        """Validate and save one row; bad data stops the load (which rolls back) with a clear error."""
        try:
            validate(instance)
            instance.save(**save_options)
        except (ValidationError, IntegrityError) as error:
            raise ReportDataError(
                f"{instance._meta.verbose_name.capitalize()} ({_key_text(lookup)}): {described(error)}"
            ) from error

    def set_related(self, instance: models.Model, name: str, targets: Iterable[models.Model]) -> None:
        """A row's list (its languages, themes...), judged like a row's values: set when the row is
        new, or with ``--update`` when the data set changed it and nobody edited it since."""
        if instance is WITHHELD:
            return
        manager = getattr(instance, name)
        wanted = sorted({target.pk for target in targets if target is not WITHHELD})
        current = sorted(manager.values_list("pk", flat=True))
        field = f"{name}[]"
        record = self.provenance.record_of(instance)
        what = f"{instance._meta.verbose_name.capitalize()} {instance}: {name.replace('_', ' ')}"
        if (type(instance), instance.pk) in self.created_in_this_run:
            manager.set(wanted)
            record.values[field] = wanted
            return
        if record is None:
            if current != wanted:
                self.summary.skip(
                    f"{what} differ from the data set with no record of who set them; left as they are."
                )
            return
        loaded = record.values.get(field)
        if wanted == (loaded if loaded is not None else current):
            if loaded is None:
                self.provenance.remember(self.provenance.key_of_record(record), instance, {field: wanted})
            return
        if not self.provenance.update:
            self.summary.skip(f"{what}: the data set has a new list; load_report --update takes it.")
        elif loaded is not None and current != loaded:
            self.summary.skip(f"{what}: edited since the last load; the data set's new list was not taken.")
        else:
            manager.set(wanted)
            self.provenance.remember(self.provenance.key_of_record(record), instance, {field: wanted})
            self.summary.record(type(instance), "updated")

    def pick(self, registry: dict, key: Any, what: str) -> Any:
        try:
            return registry[key]
        except KeyError:
            raise ReportDataError(f"Unknown {what} {key!r}.") from None
        except TypeError:
            raise ReportDataError(f"A {what} is named by {key!r}, which is not a name.") from None

    def pick_all(self, registry: dict, keys: Iterable[Any], what: str) -> list:
        if keys is not None and not isinstance(keys, list):
            raise ReportDataError(f"expected a list of {what} names, not {keys!r}.")
        return [self.pick(registry, key, what) for key in keys or []]

    # --- vocabulary ------------------------------------------------------------------------------

    def load_vocabulary(self, vocabulary: dict) -> None:
        for row in vocabulary["languages"]:
            self.languages[row["code"]] = self.upsert(
                Language,
                {"code": row["code"]},
                {"name": row["name"], **row_translations(row, "name")},
            )
        for row in sorted(vocabulary["regions"], key=lambda r: r["level"] != "region"):
            self.regions[row["code"]] = self.upsert(
                Region,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    **row_translations(row, "name"),
                    "level": row["level"],
                    "parent": self.pick(self.regions, row["parent"], "region") if row.get("parent") else None,
                },
            )
        for row in vocabulary["countries"]:
            self.countries[row["iso"]] = self.upsert(
                Country,
                {"iso_code": row["iso"]},
                {
                    "name": row["name"],
                    **row_translations(row, "name"),
                    "region": self.pick(self.regions, row["region"], "region"),
                    "subregion": self.pick(self.regions, row["subregion"], "sub-region"),
                    "is_global_south": row["global_south"],
                },
            )
        for row in vocabulary["themes"]:
            self.themes[row["slug"]] = self.upsert(
                Theme,
                {"slug": row["slug"]},
                {"name": row["name"], **row_translations(row, "name")},
            )
        for row in vocabulary["sdgs"]:
            self.sdgs[row["number"]] = self.upsert(
                SustainableDevelopmentGoal,
                {"number": row["number"]},
                {"name": row["name"], **row_translations(row, "name")},
            )
        for row in vocabulary["priorities"]:
            priority = self.upsert(
                DevelopmentPriority,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    **row_translations(row, "name"),
                    "order": row.get("order", 0),
                },
            )
            links = row.get("links")
            slugs = [link["theme"] for link in links] if links is not None else row.get("themes")
            self.set_related(priority, "themes", self.pick_all(self.themes, slugs, "theme"))
            self.set_link_strengths(priority, links or [])
            self.priorities[row["slug"]] = priority

    def set_link_strengths(self, priority, links: list[dict]) -> None:
        """Each link's strength and reason from the data set, on links nobody has reviewed yet (no
        reason given): staff edits in the admin are kept."""
        if priority is WITHHELD:
            return
        current = {link.theme.slug: link for link in priority.theme_links.select_related("theme")}
        for row in links:
            link = current.get(row["theme"])
            if link is None or link.rationale:
                continue
            link.strength, link.rationale = row.get("strength", 1.0), row.get("why", "")
            try:
                link.full_clean()
            except ValidationError as error:
                raise ReportDataError(
                    f"Priority {priority.slug}, theme {row['theme']}: {described(error)}"
                ) from error
            link.save(update_fields=["strength", "rationale"])

    # --- the report ------------------------------------------------------------------------------

    def in_languages(self, field: str, text: str) -> dict[str, str]:
        """``field`` and its translations' columns (``_es``, ``_zh_hans``...) for ``text``, from the
        glossary (blank when it has no translation: the page then shows the English)."""
        return {field: text, **self.translations_of(field, text)}

    def translations_of(self, field: str, text: str) -> dict[str, str]:
        """Only the translations' columns of ``in_languages`` (for a field that is part of the key); the
        glossary names each translation by its language code (``es``, ``zh-hans``)."""
        terms = self.glossary.get(" ".join(text.split()), {}) if text else {}
        return {
            column(field, code): terms.get(code, "")
            for code in language_codes()
            if code != settings.LANGUAGE_CODE
        }

    def load_report(self, report: dict) -> None:
        self.glossary = {" ".join(str(row["en"]).split()): row for row in report.get("translations", [])}
        self.load_organisations(report["organisations"])
        self.load_cities(report["cities"])
        self.load_people(report["people"])
        series = self.load_series(report["series"])
        for row in report["webinars"]:
            self.load_webinar(
                series, row, views_source=report["views_source"], views_as_of=report["views_as_of"]
            )
        for row in report["good_practices"]:
            self.load_good_practice(row)
        for row in report.get("interests", []):
            self.load_interest(row)
        self.load_survey(report["survey"])
        self.load_quotes(report.get("quotes", []))
        self.load_decisions(series, report.get("decisions", []))

    def load_organisations(self, rows: list[dict]) -> None:
        for row in rows:
            self.organisations[row["slug"]] = self.upsert(
                Organisation,
                {"slug": row["slug"]},
                {
                    **self.in_languages("name", row["name"]),
                    **self.in_languages("acronym", row.get("acronym", "")),
                    "kind": row["kind"],
                    "country": self.pick(self.countries, row["country"], "country")
                    if row.get("country")
                    else None,
                    "website": row.get("website", ""),
                },
            )

    def load_cities(self, rows: list[dict]) -> None:
        for row in rows:
            city = self.upsert(
                City,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    **row_translations(row, "name"),
                    "kind": row.get("kind", City.Kind.CITY),
                    "country": self.pick(self.countries, row["country"], "country"),
                    "parent": self.pick(self.cities, row["parent"], "city") if row.get("parent") else None,
                    "represented_by": row.get("represented_by", ""),
                    "latitude": decimal(row.get("lat")),
                    "longitude": decimal(row.get("lon")),
                    "population": row.get("population"),
                    "is_world_heritage_city": row.get("world_heritage", False),
                    "showcased_in_series": row.get("showcased", False),
                    "source_note": "Travel South Over Cloud report",
                },
            )
            self.set_related(
                city, "languages", self.pick_all(self.languages, row.get("languages"), "language")
            )
            for site in row.get("heritage_sites", []):
                self.upsert(
                    HeritageSite,
                    {"city": city, "name": site["name"]},
                    {
                        "inscribed_year": site.get("year"),
                        "is_world_heritage": True,
                        **self.translations_of("name", site["name"]),
                    },
                )
            self.cities[row["slug"]] = city

    def load_people(self, rows: list[dict]) -> None:
        for row in rows:
            self.people[row["slug"]] = self.upsert(Person, {"slug": row["slug"]}, self.person_values(row))

    def person_values(self, row: dict, **extra: Any) -> dict[str, Any]:
        return {
            "honorific": row.get("honorific", ""),
            "full_name": row["name"],
            **self.in_languages("title", row.get("title", "")),
            "city": self.pick(self.cities, row["city"], "city") if row.get("city") else None,
            "organisation": (
                self.pick(self.organisations, row["organisation"], "organisation")
                if row.get("organisation")
                else None
            ),
            "email": row.get("email", ""),
            "preferred_language": row.get("language", "en"),
            **extra,
        }

    def load_series(self, row: dict) -> WebinarSeries:
        series = self.upsert(
            WebinarSeries,
            {"slug": row["slug"]},
            {
                **{name: row.get(name, "") for name in translated("title", "subtitle", "description")},
                "organiser": self.pick(self.organisations, row["organiser"], "organisation"),
                "starts_on": row.get("starts_on"),
                "ends_on": row.get("ends_on"),
            },
        )
        self.set_related(
            series, "partners", self.pick_all(self.organisations, row.get("partners"), "organisation")
        )
        return series

    def load_webinar(
        self, series: WebinarSeries, row: dict, *, views_source: str, views_as_of: dt.date
    ) -> None:
        webinar = self.upsert(
            Webinar,
            {"series": series, "number": row["number"]},
            {
                "slug": row["slug"],
                **{name: row.get(name, "") for name in translated("title", "summary")},
                "broadcast_on": row["broadcast_on"],
                "broadcast_precision": row.get("precision", Webinar.DatePrecision.DAY),
                "recording_url": row.get("recording_url", ""),
                **self.in_languages("recording_note", row.get("recording_note", "")),
            },
        )
        self.set_related(webinar, "languages", self.pick_all(self.languages, row["languages"], "language"))
        self.set_related(
            webinar,
            "organising_partners",
            self.pick_all(self.organisations, row.get("organising_partners"), "organisation"),
        )
        for order, item in enumerate(row["agenda"], start=1):
            self.upsert(
                AgendaItem,
                {"webinar": webinar, "order": order},
                {
                    "kind": item["kind"],
                    **self.in_languages("title", item.get("title", "")),
                    "speaker": self.pick(self.people, item["speaker"], "person")
                    if item.get("speaker")
                    else None,
                    **self.in_languages("speaker_role", item.get("role", "")),
                    "moderator": self.pick(self.people, item["moderator"], "person")
                    if item.get("moderator")
                    else None,
                    **self.in_languages("moderator_role", item.get("moderator_role", "")),
                    "city": self.pick(self.cities, item["city"], "city") if item.get("city") else None,
                    "organisation": (
                        self.pick(self.organisations, item["organisation"], "organisation")
                        if item.get("organisation")
                        else None
                    ),
                },
            )
        self.drop_stale_agenda_items(webinar, keep=len(row["agenda"]))
        for view in row["views"]:
            self.upsert(
                ViewCount,
                {"webinar": webinar, "platform": view["platform"], "as_of": view.get("as_of", views_as_of)},
                {
                    "views": view["views"],
                    **self.translations_of("platform", view["platform"]),
                    **self.in_languages("source", view.get("source", views_source)),
                    "as_of_precision": view.get("as_of_precision", ViewCount.AsOfPrecision.DAY),
                },
            )
        self.webinars[row["number"]] = webinar

    def drop_stale_agenda_items(self, webinar: Webinar, *, keep: int) -> None:
        """Agenda items past the data set's last one: with --update, those the data set put there
        go; anything staff added stays (and is said)."""
        if webinar is WITHHELD:
            return
        for item in webinar.agenda_items.filter(order__gt=keep).order_by("order"):
            key = self.provenance.key(AgendaItem, {"webinar": webinar, "order": item.order})
            name = f"Agenda item ({webinar}, order={item.order})"
            if self.provenance.record(key) is None:
                self.summary.skip(f"{name}: not in the data set, added since; left as it is.")
            elif not self.provenance.update:
                self.summary.skip(f"{name}: no longer in the data set; load_report --update removes it.")
            else:
                self.provenance.forget(AgendaItem.objects.filter(pk=item.pk))
                item.delete()
                self.summary.record(AgendaItem, "updated")

    def load_good_practice(self, row: dict) -> None:
        practice = self.upsert(
            GoodPractice,
            {"slug": row["slug"]},
            {
                "city": self.pick(self.cities, row["city"], "city") if row.get("city") else None,
                "organisation": (
                    self.pick(self.organisations, row["organisation"], "organisation")
                    if row.get("organisation")
                    else None
                ),
                **{name: row.get(name, "") for name in translated("title", "summary")},
                "digital_tools": row.get("tools", []),
                "link": row.get("link", ""),
                "webinar": self.pick(self.webinars, row["webinar"], "webinar")
                if row.get("webinar")
                else None,
                "speaker": self.pick(self.people, row["speaker"], "person") if row.get("speaker") else None,
                "year": row.get("year"),
                "source_quote": row.get("quote", ""),
                "status": GoodPractice.Status.PUBLISHED,
                "is_reconstructed": row.get("reconstructed", False),
            },
        )
        self.set_related(practice, "themes", self.pick_all(self.themes, row["themes"], "theme"))
        self.set_related(practice, "sdgs", self.pick_all(self.sdgs, row.get("sdgs"), "SDG"))

    def load_interest(self, row: dict) -> None:
        city = self.pick(self.cities, row["city"], "city")
        if city is WITHHELD:
            return
        lookup = {"city": city, "source": row["source"], "source_note": row.get("source_note", "")}
        existing = Interest.objects.filter(**lookup).first()
        if existing is not None and not existing.is_current:
            return  # superseded since an earlier load: it is history now, and history is not rewritten
        if existing is None and Interest.objects.filter(city=city, is_current=True).exists():
            return  # the city registered its own interest since: the report's statement is older news
        interest = self.upsert(
            Interest, lookup, {"message": row.get("message", ""), "is_published": row.get("published", False)}
        )
        self.set_related(
            interest, "priorities", self.pick_all(self.priorities, row.get("priorities"), "priority")
        )
        self.set_related(
            interest, "themes_sought", self.pick_all(self.themes, row.get("themes_sought"), "theme")
        )
        self.set_related(
            interest, "themes_offered", self.pick_all(self.themes, row.get("themes_offered"), "theme")
        )
        self.set_related(
            interest, "partner_cities", self.pick_all(self.cities, row.get("partner_cities"), "city")
        )
        self.set_related(
            interest,
            "partner_countries",
            self.pick_all(self.countries, row.get("partner_countries"), "country"),
        )
        self.set_related(
            interest, "partner_regions", self.pick_all(self.regions, row.get("partner_regions"), "region")
        )
        self.set_related(
            interest,
            "working_languages",
            self.pick_all(self.languages, row.get("working_languages"), "language"),
        )
