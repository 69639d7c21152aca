"""Load the report's data set (data/report/*.yaml) into the database, idempotently.

Every record is found by its natural key (a slug, a webinar number, an agenda position) and written
only when a value differs, so a second run writes nothing and reports every row as unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

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
from surveys import brokering
from surveys.brokering import response_feed_brokering
from surveys.models import Answer, Option, Question, Response, Survey
from webinars.models import AgendaItem, ViewCount, Webinar, WebinarSeries

VOCABULARY_FILE = "vocabulary.yaml"
REPORT_FILE = "travel-south-over-cloud.yaml"


class ReportDataError(ValueError):
    """The data file refers to something it does not define, or breaks a rule of the model."""


@dataclass
class LoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def record(self, model: type[models.Model], outcome: str) -> None:
        getattr(self, outcome)[model._meta.verbose_name_plural] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, {self.unchanged[name]} unchanged"
            for name in names
        ]


def read_report_data(data_dir: Path | None = None) -> tuple[dict, dict]:
    data_dir = Path(data_dir or settings.REPORT_DATA_DIR)
    with open(data_dir / VOCABULARY_FILE, encoding="utf-8") as vocabulary_file:
        vocabulary = yaml.safe_load(vocabulary_file)
    with open(data_dir / REPORT_FILE, encoding="utf-8") as report_file:
        report = yaml.safe_load(report_file)
    return vocabulary, report


def load_report(*, data_dir: Path | None = None) -> LoadSummary:
    """Load the vocabularies and the report. All or nothing: any error rolls the whole load back."""
    vocabulary, report = read_report_data(data_dir)
    loader = _ReportLoader()
    with transaction.atomic():
        loader.load_vocabulary(vocabulary)
        loader.load_report(report)
    return loader.summary


class _ReportLoader:
    def __init__(self) -> None:
        self.summary = LoadSummary()
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

    # --- generic writing -------------------------------------------------------------------------

    def upsert(self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            instance.full_clean()
            instance.save()
            self.created_in_this_run.add((model, instance.pk))
            self.summary.record(model, "created")
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.full_clean()
            update_fields = changed
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                update_fields = [*changed, "updated_at"]
            instance.save(update_fields=update_fields)
            self.summary.record(model, "updated")
        else:
            self.summary.record(model, "unchanged")
        return instance

    def set_related(self, instance: models.Model, name: str, targets: Iterable[models.Model]) -> None:
        manager = getattr(instance, name)
        wanted = {target.pk for target in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            if (type(instance), instance.pk) not in self.created_in_this_run:
                self.summary.record(type(instance), "updated")

    def pick(self, registry: dict, key: Any, what: str) -> Any:
        try:
            return registry[key]
        except KeyError:
            raise ReportDataError(f"Unknown {what} {key!r}.") from None

    def pick_all(self, registry: dict, keys: Iterable[Any], what: str) -> list:
        return [self.pick(registry, key, what) for key in keys or []]

    # --- vocabulary ------------------------------------------------------------------------------

    def load_vocabulary(self, vocabulary: dict) -> None:
        for row in vocabulary["languages"]:
            self.languages[row["code"]] = self.upsert(
                Language,
                {"code": row["code"]},
                {"name": row["name"], "name_es": row.get("name_es", ""), "name_zh": row.get("name_zh", "")},
            )
        for row in sorted(vocabulary["regions"], key=lambda r: r["level"] != "region"):
            self.regions[row["code"]] = self.upsert(
                Region,
                {"code": row["code"]},
                {
                    "name": row["name"],
                    "name_es": row.get("name_es", ""),
                    "name_zh": row.get("name_zh", ""),
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
                    "name_es": row.get("name_es", ""),
                    "name_zh": row.get("name_zh", ""),
                    "region": self.pick(self.regions, row["region"], "region"),
                    "subregion": self.pick(self.regions, row["subregion"], "sub-region"),
                    "is_global_south": row["global_south"],
                },
            )
        for row in vocabulary["themes"]:
            self.themes[row["slug"]] = self.upsert(
                Theme,
                {"slug": row["slug"]},
                {"name": row["name"], "name_es": row.get("name_es", ""), "name_zh": row.get("name_zh", "")},
            )
        for row in vocabulary["sdgs"]:
            self.sdgs[row["number"]] = self.upsert(
                SustainableDevelopmentGoal,
                {"number": row["number"]},
                {"name": row["name"], "name_es": row.get("name_es", ""), "name_zh": row.get("name_zh", "")},
            )
        for row in vocabulary["priorities"]:
            priority = self.upsert(
                DevelopmentPriority,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "name_es": row.get("name_es", ""),
                    "name_zh": row.get("name_zh", ""),
                    "order": row.get("order", 0),
                },
            )
            self.set_related(priority, "themes", self.pick_all(self.themes, row.get("themes"), "theme"))
            self.priorities[row["slug"]] = priority

    # --- the report ------------------------------------------------------------------------------

    def load_report(self, report: dict) -> None:
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

    def load_organisations(self, rows: list[dict]) -> None:
        for row in rows:
            self.organisations[row["slug"]] = self.upsert(
                Organisation,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "acronym": row.get("acronym", ""),
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
                    "name_es": row.get("name_es", ""),
                    "name_zh": row.get("name_zh", ""),
                    "kind": row.get("kind", City.Kind.CITY),
                    "country": self.pick(self.countries, row["country"], "country"),
                    "parent": self.pick(self.cities, row["parent"], "city") if row.get("parent") else None,
                    "represented_by": row.get("represented_by", ""),
                    "latitude": _decimal(row.get("lat")),
                    "longitude": _decimal(row.get("lon")),
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
                    {"inscribed_year": site.get("year"), "is_world_heritage": True},
                )
            self.cities[row["slug"]] = city

    def load_people(self, rows: list[dict]) -> None:
        for row in rows:
            self.people[row["slug"]] = self.upsert(Person, {"slug": row["slug"]}, self.person_values(row))

    def person_values(self, row: dict, **extra: Any) -> dict[str, Any]:
        return {
            "honorific": row.get("honorific", ""),
            "full_name": row["name"],
            "title": row.get("title", ""),
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
                **{name: row.get(name, "") for name in _translated("title", "subtitle", "description")},
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
                **{name: row.get(name, "") for name in _translated("title", "summary")},
                "broadcast_on": row["broadcast_on"],
                "broadcast_precision": row.get("precision", Webinar.DatePrecision.DAY),
                "recording_url": row.get("recording_url", ""),
                "recording_note": row.get("recording_note", ""),
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
                    "title": item.get("title", ""),
                    "speaker": self.pick(self.people, item["speaker"], "person")
                    if item.get("speaker")
                    else None,
                    "speaker_role": item.get("role", ""),
                    "moderator": self.pick(self.people, item["moderator"], "person")
                    if item.get("moderator")
                    else None,
                    "city": self.pick(self.cities, item["city"], "city") if item.get("city") else None,
                    "organisation": (
                        self.pick(self.organisations, item["organisation"], "organisation")
                        if item.get("organisation")
                        else None
                    ),
                },
            )
        stale_items = webinar.agenda_items.filter(order__gt=len(row["agenda"]))
        if stale_items.exists():
            stale_items.delete()
            self.summary.record(AgendaItem, "updated")
        for view in row["views"]:
            self.upsert(
                ViewCount,
                {"webinar": webinar, "platform": view["platform"], "as_of": view.get("as_of", views_as_of)},
                {"views": view["views"], "source": view.get("source", views_source)},
            )
        self.webinars[row["number"]] = webinar

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
                **{name: row.get(name, "") for name in _translated("title", "summary")},
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

    def load_survey(self, row: dict) -> Survey:
        survey = self.upsert(
            Survey,
            {"slug": row["slug"]},
            {
                **{name: row.get(name, "") for name in _translated("title", "description")},
                "webinar": self.pick(self.webinars, row["webinar"], "webinar")
                if row.get("webinar")
                else None,
                "opens_at": _aware(row["opens_at"]),
                "closes_at": _aware(row["closes_at"]),
                "is_anonymous": row.get("anonymous", False),
                "results_published": row.get("results_published", False),
                "is_reconstructed": row.get("reconstructed", False),
            },
        )
        questions: dict[str, Question] = {}
        questions_by_order: dict[int, Question] = {}
        options: dict[tuple[str, str], Option] = {}
        for question_row in row["questions"]:
            question = self.upsert(
                Question,
                {"survey": survey, "order": question_row["order"]},
                {
                    "kind": question_row["kind"],
                    **{name: question_row.get(name, "") for name in _translated("text")},
                    "result_label": question_row.get("result_label", ""),
                    "required": question_row.get("required", True),
                    "purpose": question_row.get("purpose", ""),
                    "asked_if_yes_to": (
                        self.pick(questions_by_order, question_row["asked_if_yes_to"], "question")
                        if question_row.get("asked_if_yes_to")
                        else None
                    ),
                },
            )
            questions[question_row["key"]] = question
            questions_by_order[question_row["order"]] = question
            for order, option_row in enumerate(question_row.get("options", []), start=1):
                options[(question_row["key"], option_row["label"])] = self.upsert(
                    Option,
                    {"question": question, "order": order},
                    {
                        **{name: option_row.get(name, "") for name in _translated("label")},
                        "city": self.pick(self.cities, option_row["city"], "city")
                        if option_row.get("city")
                        else None,
                        "priority": (
                            self.pick(self.priorities, option_row["priority"], "priority")
                            if option_row.get("priority")
                            else None
                        ),
                    },
                )
        responses = [
            self.load_response(
                survey, questions, options, response_row, reconstructed=row.get("reconstructed", False)
            )
            for response_row in row["responses"]
        ]
        self.feed_brokering(responses)
        return survey

    def feed_brokering(self, responses: list[Response]) -> None:
        """The loaded answers become the cities' interests and the respondents' consent.

        Through the same service as a submitted response, so the same rules apply (see
        surveys/brokering.py); it changes nothing when the cities and people already reflect them.
        A city's interest is counted once, however many of its people answered.
        """
        interest_outcomes: dict[int, set[str]] = {}
        for response in responses:
            outcome = response_feed_brokering(response=response)
            interest_outcomes.setdefault(response.city_id, set()).add(outcome.interest)
            if outcome.consent in (brokering.GIVEN, brokering.WITHDRAWN) and (
                (Person, response.respondent_id) not in self.created_in_this_run
            ):
                self.summary.record(Person, "updated")
        for outcomes in interest_outcomes.values():
            if brokering.CREATED in outcomes:
                self.summary.record(Interest, "created")
            elif brokering.UNCHANGED in outcomes:
                self.summary.record(Interest, "unchanged")

    def load_response(
        self,
        survey: Survey,
        questions: dict[str, Question],
        options: dict[tuple[str, str], Option],
        row: dict,
        *,
        reconstructed: bool,
    ) -> Response:
        city = self.pick(self.cities, row["city"], "city")
        respondent_row = row["respondent"]
        respondent = self.upsert(
            Person,
            {"slug": respondent_row["slug"]},
            self.person_values(
                {**respondent_row, "city": row["city"], "language": respondent_row.get("language", "es")},
                is_reconstructed=reconstructed,
            ),
        )
        response = self.upsert(
            Response,
            {"survey": survey, "respondent": respondent},
            {
                "city": city,
                "submitted_at": _aware(row["submitted_at"]),
                "language": row.get("language", "es"),
                "is_reconstructed": reconstructed,
            },
        )
        given = row.get("answers", {})
        unknown = set(given) - set(questions)
        if unknown:
            raise ReportDataError(f"Response {respondent_row['slug']}: unknown questions {sorted(unknown)}.")
        yes_by_order: dict[int, bool] = {}
        for key, question in sorted(questions.items(), key=lambda item: item[1].order):
            if question.asked_if_yes_to_id and not yes_by_order.get(question.asked_if_yes_to.order):
                continue
            if question.kind == Question.Kind.YES_NO:
                yes = given.get(key, True)
                yes_by_order[question.order] = yes
                self.upsert(Answer, {"response": response, "question": question}, {"yes": yes})
            elif question.has_options:
                if key not in given:
                    continue
                answer = self.upsert(Answer, {"response": response, "question": question}, {})
                chosen = [self.pick(options, (key, label), "option") for label in given[key]]
                self.set_related(answer, "options", chosen)
            elif key in given:
                self.upsert(Answer, {"response": response, "question": question}, {"text": given[key]})
        return response


def _translated(*fields: str) -> list[str]:
    return [f"{name}{suffix}" for name in fields for suffix in ("", "_es", "_zh")]


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.00001"))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
