# ruff: noqa: RUF001 - the Chinese sentences use full-width punctuation on purpose.
"""Reasons as sentences: a proposal's stored reasons (kind, weight, evidence ids) read aloud in
English, Spanish or Chinese, with links to their evidence.

Every sentence and "why not" cause is a gettext string (``ngettext`` where a count decides the
form), translated in locale/es and locale/zh_Hans like every other string; each interpolates content
in the same language (city, theme and practice names from their ``_es`` / ``_zh_hans`` columns), and each
language orders the pieces its own way in its translation. The language is the one asked for, else
the active one (``translation.get_language()``).

Loading the names behind a list of proposals takes a constant number of queries (one per kind of
evidence), whatever the number of proposals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from cities.models import City, Country, GoodPractice, Language, Region, Theme
from surveys.models import Option, Response
from travelsouth.i18n import localized

from ..models import DevelopmentPriority, Interest
from .engine import Cause, Kind


def _sentences() -> dict[str, str]:
    """The sentences in the active language (gettext; docs/matching.md lists them)."""
    return {
        "named_city_survey": gettext(
            "%(seeker)s named %(partner)s in the survey %(survey)s: a respondent for %(respondent_city)s chose %(option)s."
        ),
        "named_city": gettext("%(seeker)s named %(partner)s as a city it wants to work with."),
        "mutual": gettext("Both cities named each other."),
        "complementary": gettext("Each city offers what the other is looking for."),
        "named_country": gettext(
            "%(seeker)s wants to work with cities in %(country)s, %(partner)s's country."
        ),
        "named_region": gettext("%(seeker)s wants to work with cities in %(region)s, where %(partner)s is."),
        "theme_declared": gettext("%(seeker)s is looking for %(theme)s, which %(partner)s offers."),
        "priority_declared": gettext(
            "%(partner)s offers %(themes)s, which address %(seeker)s's priority %(priority)s."
        ),
        "webinar": gettext("It was presented at a webinar of the series."),
        "world_heritage": gettext("Both are World Heritage cities."),
        "common_language": gettext("They share a working language: %(languages)s."),
        "triangular": gettext("Triangular cooperation: %(partner)s is outside the global South."),
        "nearby_km": gettext("They are neighbours, %(km)s km apart."),
        "nearby_region": gettext("They are neighbours, both in %(region)s."),
        "similar_size": gettext("They are places of the same kind and size (%(size)s)."),
        "size_0": gettext("fewer than 100,000 inhabitants"),
        "size_1": gettext("100,000 to 1 million inhabitants"),
        "size_2": gettext("1 to 5 million inhabitants"),
        "size_3": gettext("more than 5 million inhabitants"),
        "note": gettext("%(seeker)s named %(partner)s, but no proposal was made: %(cause)s."),
    }


def _causes() -> dict[str, str]:
    """Why a named pair got no proposal, or why a proposal awaiting review was superseded."""
    return {
        Cause.CAP: gettext(
            "%(blocking)s already has as many proposals as one run gives a city (the per-city cap of %(cap)s)"
        ),
        Cause.SAME_COUNTRY: gettext("both are in the same country, and same-country pairs are not proposed"),
        Cause.NORTH_NORTH: gettext("both are outside the global South"),
        Cause.TRIANGULAR_NOT_ALLOWED: gettext("triangular pairs are switched off"),
        Cause.NOT_WANTED: gettext(
            "one of the two cities said it does not want partners in the other's country or region"
        ),
        Cause.PARTNERSHIP: gettext("the two cities already have a partnership"),
        Cause.OPEN_PROPOSAL: gettext("the pair already has an approved proposal"),
        Cause.COOLING_OFF: gettext("the pair was declined or rejected within the cooling-off period"),
        Cause.INACTIVE_CITY: gettext("%(blocking)s is not an approved city"),
        Cause.NO_BASIS: gettext("the reasons for it no longer hold"),
        Cause.BELOW_MIN_SCORE: gettext("the pair scores below the lowest score proposed"),
        Cause.DISPLACED: gettext("replaced by a better pair, %(pair)s"),
        "holding": gettext("%(cause)s; the slot is held by the proposal %(pair)s"),
    }


# The engine's short language codes -> the interface's (gettext's) codes.
DJANGO_LANGUAGES = {"en": "en", "es": "es", "zh": "zh-hans"}


def sentence_language(language: str | None = None) -> str:
    language = (language or translation.get_language() or "en").lower()
    if language.startswith("zh"):
        return "zh"
    return "es" if language.startswith("es") else "en"


@dataclass(frozen=True)
class Evidence:
    kind: str  # "interest", "survey_response" or "good_practice"
    id: int
    label: str


@dataclass(frozen=True)
class ExplainedReason:
    kind: str
    weight: float
    text: str
    evidence: list[Evidence] = field(default_factory=list)
    # The reason rests on data the report does not state (records reconstructed to reproduce its
    # figures): shown marked, with a link to the data set's decisions, wherever it appears.
    reconstructed: bool = False


class _Names:
    """The names behind a batch of reasons and notes, loaded once per kind of row."""

    def __init__(self, records: Iterable[dict], language: str) -> None:
        self.language = language
        # The sentences in the language asked for, whatever the active one is.
        with translation.override(DJANGO_LANGUAGES[language]):
            self.words = _sentences()
            self.causes = _causes()
            self.quote_marks = pgettext("quotation marks around a title", "“%(text)s”")
            self.list_separator = pgettext("separator between the items of a list", ", ")
            self.last_separator = pgettext("before the last item of a list", " and ")
        wanted: dict[str, set[int]] = {
            name: set()
            for name in (
                "city",
                "theme",
                "priority",
                "country",
                "region",
                "language",
                "practice",
                "response",
                "option",
                "interest",
            )
        }
        for record in records:
            for name in ("seeker", "partner", "blocking_city", "city_a", "city_b"):
                if record.get(name):
                    wanted["city"].add(record[name])
            for name in ("holding", "replaced_by"):
                wanted["city"].update(record.get(name) or ())
            for name, key in (
                ("theme", "theme"),
                ("priority", "priority"),
                ("country", "country"),
                ("region", "region"),
                ("survey_response", "response"),
                ("option", "option"),
                ("interest", "interest"),
            ):
                if record.get(name):
                    wanted[key].add(record[name])
            wanted["theme"].update(record.get("themes", ()))
            wanted["language"].update(record.get("languages", ()))
            wanted["practice"].update(record.get("practices", ()))
        self.cities = City.objects.in_bulk(wanted["city"])
        self.themes = Theme.objects.in_bulk(wanted["theme"])
        self.priorities = DevelopmentPriority.objects.in_bulk(wanted["priority"])
        self.countries = Country.objects.in_bulk(wanted["country"])
        self.regions = Region.objects.in_bulk(wanted["region"])
        self.languages = Language.objects.in_bulk(wanted["language"])
        self.practices = GoodPractice.objects.in_bulk(wanted["practice"])
        self.responses = Response.objects.select_related("survey", "city").in_bulk(wanted["response"])
        self.options = Option.objects.in_bulk(wanted["option"])
        self.interests = Interest.objects.select_related("city", "survey_response").in_bulk(
            wanted["interest"]
        )

    def name(self, rows: dict, row_id: int | None, field_name: str = "name") -> str:
        row = rows.get(row_id)
        return localized(row, field_name, self.language) if row is not None else "?"

    def city(self, city_id: int | None) -> str:
        return self.name(self.cities, city_id)

    def pair(self, cities: Sequence[int] | None) -> str:
        """Two cities as one proposal, their names joined by an en dash."""
        if not cities:
            return "?"
        return "–".join(self.city(city) for city in cities)

    def quote(self, text: str) -> str:
        return self.quote_marks % {"text": text}

    def join(self, items: Sequence[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return self.list_separator.join(items[:-1]) + self.last_separator + items[-1]


def explain_reasons(
    reason_lists: Sequence[Sequence[dict]], *, language: str | None = None
) -> list[list[ExplainedReason]]:
    """Sentences for each list of stored reasons (one list per proposal), in ``language`` (default:
    the active one), strongest first."""
    language = sentence_language(language)
    names = _Names((reason for reasons in reason_lists for reason in reasons), language)
    with translation.override(DJANGO_LANGUAGES[language]):
        return [
            [
                _explain(reason, names)
                for reason in sorted(
                    reasons, key=lambda reason: (-reason.get("weight", 0), reason.get("kind", ""))
                )
            ]
            for reasons in reason_lists
        ]


def _explain(reason: dict, names: _Names) -> ExplainedReason:
    words = names.words
    kind = reason.get("kind", "")
    seeker = names.city(reason.get("seeker"))
    partner = names.city(reason.get("partner"))
    evidence: list[Evidence] = []
    reconstructed = False
    interest = names.interests.get(reason.get("interest"))
    if interest is not None:
        evidence.append(Evidence("interest", interest.pk, str(interest)))
        reconstructed = interest.survey_response is not None and interest.survey_response.is_reconstructed
    practices = [names.practices[pk] for pk in reason.get("practices", ()) if pk in names.practices]
    reconstructed = reconstructed or any(practice.is_reconstructed for practice in practices)
    evidence += [
        Evidence("good_practice", practice.pk, localized(practice, "title", names.language))
        for practice in practices
    ]
    practice_titles = names.join(
        [names.quote(localized(practice, "title", names.language)) for practice in practices]
    )

    if kind == Kind.NAMED_CITY:
        response = names.responses.get(reason.get("survey_response"))
        option = names.options.get(reason.get("option"))
        if response is not None and option is not None:
            evidence.append(Evidence("survey_response", response.pk, str(response)))
            reconstructed = reconstructed or response.is_reconstructed
            text = words["named_city_survey"] % {
                "seeker": seeker,
                "partner": partner,
                "survey": names.quote(localized(response.survey, "title", names.language)),
                "respondent_city": localized(response.city, "name", names.language)
                if response.city
                else seeker,
                "option": names.quote(localized(option, "label", names.language)),
            }
        else:
            text = words["named_city"] % {"seeker": seeker, "partner": partner}
    elif kind == Kind.MUTUAL:
        text = words["mutual"]
    elif kind == Kind.COMPLEMENTARY:
        text = words["complementary"]
    elif kind == Kind.NAMED_COUNTRY:
        text = words["named_country"] % {
            "seeker": seeker,
            "partner": partner,
            "country": names.name(names.countries, reason.get("country")),
        }
    elif kind == Kind.NAMED_REGION:
        text = words["named_region"] % {
            "seeker": seeker,
            "partner": partner,
            "region": names.name(names.regions, reason.get("region")),
        }
    elif kind == Kind.THEME_SOUGHT:
        theme = names.name(names.themes, reason.get("theme"))
        if practices:
            template = ngettext(
                "%(seeker)s is looking for %(theme)s; %(partner)s's good practice %(practices)s offers it.",
                "%(seeker)s is looking for %(theme)s; %(partner)s's good practices %(practices)s offer it.",
                len(practices),
            )
            text = template % {
                "seeker": seeker,
                "partner": partner,
                "theme": theme,
                "practices": practice_titles,
            }
        else:
            text = words["theme_declared"] % {"seeker": seeker, "partner": partner, "theme": theme}
    elif kind == Kind.PRIORITY:
        priority = names.name(names.priorities, reason.get("priority"))
        if practices:
            template = ngettext(
                "%(partner)s's good practice %(practices)s addresses %(seeker)s's priority %(priority)s.",
                "%(partner)s's good practices %(practices)s address %(seeker)s's priority %(priority)s.",
                len(practices),
            )
            text = template % {
                "seeker": seeker,
                "partner": partner,
                "priority": priority,
                "practices": practice_titles,
            }
        else:
            themes = names.join([names.name(names.themes, theme) for theme in reason.get("themes", ())])
            text = words["priority_declared"] % {
                "seeker": seeker,
                "partner": partner,
                "priority": priority,
                "themes": themes,
            }
    elif kind == Kind.WORLD_HERITAGE:
        text = words["world_heritage"]
    elif kind == Kind.COMMON_LANGUAGE:
        text = words["common_language"] % {
            "languages": names.join(
                [names.name(names.languages, language) for language in reason.get("languages", ())]
            )
        }
    elif kind == Kind.TRIANGULAR:
        text = words["triangular"] % {"partner": partner}
    elif kind == Kind.NEARBY:
        if reason.get("distance_km") is not None:
            text = words["nearby_km"] % {"km": _number(reason["distance_km"], names.language)}
        else:
            text = words["nearby_region"] % {"region": names.name(names.regions, reason.get("region"))}
    elif kind == Kind.SIMILAR_SIZE:
        text = words["similar_size"] % {"size": words.get(f"size_{reason.get('size_class')}", "?")}
    else:
        text = kind
    if reason.get("webinar"):
        separator = "" if names.language == "zh" else " "
        text = f"{text}{separator}{words['webinar']}"
    return ExplainedReason(
        kind=kind, weight=reason.get("weight", 0), text=text, evidence=evidence, reconstructed=reconstructed
    )


def _number(value: int, language: str) -> str:
    """A whole number as each language writes it: 1,234 / 1 234 / 1234."""
    if language == "en":
        return f"{value:,}"
    if language == "es":
        return f"{value:,}".replace(",", "\u00a0") if value >= 10_000 else str(value)
    return str(value)


def cause_phrase(
    cause: str,
    names: _Names,
    *,
    blocking_city: int | None = None,
    cap: int | None = None,
    pair: Sequence[int] | None = None,
    holding: Sequence[int] | None = None,
) -> str:
    causes = names.causes
    template = causes.get(cause, cause)
    phrase = template % {
        "blocking": names.city(blocking_city),
        "cap": cap if cap is not None else "k",
        "pair": names.pair(pair),
    }
    if holding:
        phrase = causes["holding"] % {"cause": phrase, "pair": names.pair(holding)}
    return phrase


def describe_run_notes(
    notes: Sequence[dict], *, cap: int | None = None, language: str | None = None
) -> list[str]:
    """One sentence per named pair that got no proposal in a run: who named whom, and why not
    (for the cap: the proposal that holds the slot)."""
    language = sentence_language(language)
    names = _Names(notes, language)
    return [
        names.words["note"]
        % {
            "seeker": names.city(note.get("seeker")),
            "partner": names.city(note.get("partner")),
            "cause": cause_phrase(
                note.get("cause", ""),
                names,
                blocking_city=note.get("blocking_city"),
                cap=cap,
                holding=note.get("holding"),
            ),
        }
        for note in notes
    ]


def describe_cause(
    cause: str,
    *,
    blocking_city: int | None = None,
    cap: int | None = None,
    pair: Sequence[int] | None = None,
    language: str | None = None,
) -> str:
    language = sentence_language(language)
    names = _Names([{"blocking_city": blocking_city, "holding": pair}], language)
    return cause_phrase(cause, names, blocking_city=blocking_city, cap=cap, pair=pair)
