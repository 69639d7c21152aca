# ruff: noqa: RUF001 - the Chinese sentences use full-width punctuation on purpose.
"""Reasons as sentences: a proposal's stored reasons (kind, weight, evidence ids) read aloud in
English, Spanish or Chinese, with links to their evidence.

The sentences come from the small per-language table below rather than from the gettext catalogues:
they interpolate content in the same language (city, theme and practice names from their ``_es`` /
``_zh`` columns), each language orders the pieces its own way, and the three versions stay side by
side where they can be reviewed together. docs/matching.md lists the same table. The language is the
active one (``translation.get_language()``), as for every other string.

Loading the names behind a list of proposals takes a constant number of queries (one per kind of
evidence), whatever the number of proposals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import translation

from cities.models import City, Country, GoodPractice, Language, Region, Theme
from surveys.models import Option, Response
from travelsouth.i18n import localized

from ..models import DevelopmentPriority, Interest
from .engine import Cause, Kind

SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "named_city_survey": "{seeker} named {partner} in the survey {survey}: a respondent for {respondent_city} chose {option}.",
        "named_city": "{seeker} named {partner} as a city it wants to work with.",
        "mutual": "Both cities named each other.",
        "complementary": "Each city offers what the other is looking for.",
        "named_country": "{seeker} wants to work with cities in {country}, {partner}'s country.",
        "named_region": "{seeker} wants to work with cities in {region}, where {partner} is.",
        "theme_practice": "{seeker} is looking for {theme}; {partner}'s good practice {practices} offers it.",
        "theme_practices": "{seeker} is looking for {theme}; {partner}'s good practices {practices} offer it.",
        "theme_declared": "{seeker} is looking for {theme}, which {partner} offers.",
        "priority_practice": "{partner}'s good practice {practices} addresses {seeker}'s priority {priority}.",
        "priority_practices": "{partner}'s good practices {practices} address {seeker}'s priority {priority}.",
        "priority_declared": "{partner} offers {themes}, which address {seeker}'s priority {priority}.",
        "webinar": "It was presented at a webinar of the series.",
        "world_heritage": "Both are World Heritage cities.",
        "common_language": "They share a working language: {languages}.",
        "triangular": "Triangular cooperation: {partner} is outside the global South.",
        "nearby_km": "They are neighbours, {km} km apart.",
        "nearby_region": "They are neighbours, both in {region}.",
        "similar_size": "They are places of the same kind and size ({size}).",
        "size_0": "fewer than 100,000 inhabitants",
        "size_1": "100,000 to 1 million inhabitants",
        "size_2": "1 to 5 million inhabitants",
        "size_3": "more than 5 million inhabitants",
        "note": "{seeker} named {partner}, but no proposal was made: {cause}.",
        "quote": "“{text}”",
        "and": " and ",
        "list": ", ",
    },
    "es": {
        "named_city_survey": "{seeker} mencionó a {partner} en la encuesta {survey}: una persona que respondió por {respondent_city} eligió {option}.",
        "named_city": "{seeker} mencionó a {partner} como ciudad con la que quiere trabajar.",
        "mutual": "Cada ciudad mencionó a la otra.",
        "complementary": "Cada ciudad ofrece lo que la otra busca.",
        "named_country": "{seeker} quiere trabajar con ciudades de {country}, el país de {partner}.",
        "named_region": "{seeker} quiere trabajar con ciudades de {region}, donde está {partner}.",
        "theme_practice": "{seeker} busca {theme}; la buena práctica {practices} de {partner} lo ofrece.",
        "theme_practices": "{seeker} busca {theme}; las buenas prácticas {practices} de {partner} lo ofrecen.",
        "theme_declared": "{seeker} busca {theme}, que {partner} ofrece.",
        "priority_practice": "La buena práctica {practices} de {partner} responde a la prioridad {priority} de {seeker}.",
        "priority_practices": "Las buenas prácticas {practices} de {partner} responden a la prioridad {priority} de {seeker}.",
        "priority_declared": "{partner} ofrece {themes}, que responden a la prioridad {priority} de {seeker}.",
        "webinar": "Se presentó en un webinar de la serie.",
        "world_heritage": "Ambas son ciudades Patrimonio Mundial.",
        "common_language": "Comparten una lengua de trabajo: {languages}.",
        "triangular": "Cooperación triangular: {partner} está fuera del Sur global.",
        "nearby_km": "Son vecinas, a {km} km una de otra.",
        "nearby_region": "Son vecinas, ambas en {region}.",
        "similar_size": "Son lugares del mismo tipo y tamaño ({size}).",
        "size_0": "menos de 100 000 habitantes",
        "size_1": "de 100 000 a 1 millón de habitantes",
        "size_2": "de 1 a 5 millones de habitantes",
        "size_3": "más de 5 millones de habitantes",
        "note": "{seeker} mencionó a {partner}, pero no se hizo ninguna propuesta: {cause}.",
        "quote": "«{text}»",
        "and": " y ",
        "list": ", ",
    },
    "zh": {
        "named_city_survey": "{seeker}在调查{survey}中提名了{partner}：代表{respondent_city}的受访者选择了{option}。",
        "named_city": "{seeker}表示希望与{partner}合作。",
        "mutual": "两座城市互相提名了对方。",
        "complementary": "两座城市各自提供对方所寻求的内容。",
        "named_country": "{seeker}希望与{country}的城市合作，{partner}位于该国。",
        "named_region": "{seeker}希望与{region}的城市合作，{partner}位于该地区。",
        "theme_practice": "{seeker}正在寻求“{theme}”；{partner}的良好实践{practices}可以提供。",
        "theme_practices": "{seeker}正在寻求“{theme}”；{partner}的良好实践{practices}可以提供。",
        "theme_declared": "{seeker}正在寻求“{theme}”，{partner}可以提供。",
        "priority_practice": "{partner}的良好实践{practices}回应了{seeker}的发展重点“{priority}”。",
        "priority_practices": "{partner}的良好实践{practices}回应了{seeker}的发展重点“{priority}”。",
        "priority_declared": "{partner}提供的{themes}回应了{seeker}的发展重点“{priority}”。",
        "webinar": "该实践曾在本系列网络研讨会上介绍。",
        "world_heritage": "两者都是世界遗产城市。",
        "common_language": "双方有共同的工作语言：{languages}。",
        "triangular": "三方合作：{partner}不属于全球南方。",
        "nearby_km": "两地相邻，相距{km}公里。",
        "nearby_region": "两地相邻，同属{region}。",
        "similar_size": "两地类型和规模相同（{size}）。",
        "size_0": "人口不足10万",
        "size_1": "人口10万至100万",
        "size_2": "人口100万至500万",
        "size_3": "人口超过500万",
        "note": "{seeker}提名了{partner}，但未生成提议：{cause}。",
        "quote": "“{text}”",
        "and": "和",
        "list": "、",
    },
}

# Why a named pair got no proposal, or why a proposal awaiting review was superseded.
CAUSES: dict[str, dict[str, str]] = {
    "en": {
        Cause.CAP: "{blocking} already has as many proposals as one run gives a city (the per-city cap of {cap})",
        Cause.SAME_COUNTRY: "both are in the same country, and same-country pairs are not proposed",
        Cause.NORTH_NORTH: "both are outside the global South",
        Cause.TRIANGULAR_NOT_ALLOWED: "triangular pairs are switched off",
        Cause.NOT_WANTED: "one of the two cities said it does not want partners in the other's country or region",
        Cause.PARTNERSHIP: "the two cities already have a partnership",
        Cause.OPEN_PROPOSAL: "the pair already has an approved proposal",
        Cause.COOLING_OFF: "the pair was declined or rejected within the cooling-off period",
        Cause.INACTIVE_CITY: "{blocking} is not an approved city",
        Cause.NO_BASIS: "the reasons for it no longer hold",
        Cause.BELOW_MIN_SCORE: "the pair scores below the lowest score proposed",
        Cause.DISPLACED: "replaced by a better pair, {pair}",
        "holding": "{cause}; the slot is held by the proposal {pair}",
    },
    "es": {
        Cause.CAP: "{blocking} ya tiene tantas propuestas como una ronda da a una ciudad (el límite de {cap} por ciudad)",
        Cause.SAME_COUNTRY: "ambas están en el mismo país y no se proponen pares del mismo país",
        Cause.NORTH_NORTH: "ambas están fuera del Sur global",
        Cause.TRIANGULAR_NOT_ALLOWED: "los pares triangulares están desactivados",
        Cause.NOT_WANTED: "una de las dos ciudades dijo que no quiere socias en el país o la región de la otra",
        Cause.PARTNERSHIP: "las dos ciudades ya tienen una alianza",
        Cause.OPEN_PROPOSAL: "el par ya tiene una propuesta aprobada",
        Cause.COOLING_OFF: "el par fue declinado o rechazado dentro del periodo de espera",
        Cause.INACTIVE_CITY: "{blocking} no es una ciudad aprobada",
        Cause.NO_BASIS: "sus motivos ya no se cumplen",
        Cause.BELOW_MIN_SCORE: "el par tiene una puntuación inferior a la mínima propuesta",
        Cause.DISPLACED: "reemplazada por un par mejor, {pair}",
        "holding": "{cause}; ese lugar lo ocupa la propuesta {pair}",
    },
    "zh": {
        Cause.CAP: "{blocking}在本轮的提议已达到每个城市的上限（{cap}项）",
        Cause.SAME_COUNTRY: "两者位于同一国家，不提议同一国家的城市结对",
        Cause.NORTH_NORTH: "两者都不属于全球南方",
        Cause.TRIANGULAR_NOT_ALLOWED: "三方合作结对已关闭",
        Cause.NOT_WANTED: "其中一座城市表示不希望与另一座城市所在国家或地区的城市结对",
        Cause.PARTNERSHIP: "两座城市已建立伙伴关系",
        Cause.OPEN_PROPOSAL: "该结对已有一项获批的提议",
        Cause.COOLING_OFF: "该结对在冷静期内被婉拒或驳回",
        Cause.INACTIVE_CITY: "{blocking}不是已审核的城市",
        Cause.NO_BASIS: "提议的依据已不再成立",
        Cause.BELOW_MIN_SCORE: "该结对的得分低于提议的最低分",
        Cause.DISPLACED: "已由更合适的结对{pair}取代",
        "holding": "{cause}；该名额由提议{pair}占用",
    },
}


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
        return SENTENCES[self.language]["quote"].format(text=text)

    def join(self, items: Sequence[str]) -> str:
        words = SENTENCES[self.language]
        if len(items) <= 1:
            return "".join(items)
        return words["list"].join(items[:-1]) + words["and"] + items[-1]


def explain_reasons(
    reason_lists: Sequence[Sequence[dict]], *, language: str | None = None
) -> list[list[ExplainedReason]]:
    """Sentences for each list of stored reasons (one list per proposal), in ``language`` (default:
    the active one), strongest first."""
    language = sentence_language(language)
    names = _Names((reason for reasons in reason_lists for reason in reasons), language)
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
    words = SENTENCES[names.language]
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
            text = words["named_city_survey"].format(
                seeker=seeker,
                partner=partner,
                survey=names.quote(localized(response.survey, "title", names.language)),
                respondent_city=localized(response.city, "name", names.language) if response.city else seeker,
                option=names.quote(localized(option, "label", names.language)),
            )
        else:
            text = words["named_city"].format(seeker=seeker, partner=partner)
    elif kind == Kind.MUTUAL:
        text = words["mutual"]
    elif kind == Kind.COMPLEMENTARY:
        text = words["complementary"]
    elif kind == Kind.NAMED_COUNTRY:
        text = words["named_country"].format(
            seeker=seeker, partner=partner, country=names.name(names.countries, reason.get("country"))
        )
    elif kind == Kind.NAMED_REGION:
        text = words["named_region"].format(
            seeker=seeker, partner=partner, region=names.name(names.regions, reason.get("region"))
        )
    elif kind == Kind.THEME_SOUGHT:
        theme = names.name(names.themes, reason.get("theme"))
        if practices:
            template = "theme_practice" if len(practices) == 1 else "theme_practices"
            text = words[template].format(
                seeker=seeker, partner=partner, theme=theme, practices=practice_titles
            )
        else:
            text = words["theme_declared"].format(seeker=seeker, partner=partner, theme=theme)
    elif kind == Kind.PRIORITY:
        priority = names.name(names.priorities, reason.get("priority"))
        if practices:
            template = "priority_practice" if len(practices) == 1 else "priority_practices"
            text = words[template].format(
                seeker=seeker, partner=partner, priority=priority, practices=practice_titles
            )
        else:
            themes = names.join([names.name(names.themes, theme) for theme in reason.get("themes", ())])
            text = words["priority_declared"].format(
                seeker=seeker, partner=partner, priority=priority, themes=themes
            )
    elif kind == Kind.WORLD_HERITAGE:
        text = words["world_heritage"]
    elif kind == Kind.COMMON_LANGUAGE:
        text = words["common_language"].format(
            languages=names.join(
                [names.name(names.languages, language) for language in reason.get("languages", ())]
            )
        )
    elif kind == Kind.TRIANGULAR:
        text = words["triangular"].format(partner=partner)
    elif kind == Kind.NEARBY:
        if reason.get("distance_km") is not None:
            text = words["nearby_km"].format(km=_number(reason["distance_km"], names.language))
        else:
            text = words["nearby_region"].format(region=names.name(names.regions, reason.get("region")))
    elif kind == Kind.SIMILAR_SIZE:
        text = words["similar_size"].format(size=words.get(f"size_{reason.get('size_class')}", "?"))
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
    causes = CAUSES[names.language]
    template = causes.get(cause, cause)
    phrase = template.format(
        blocking=names.city(blocking_city), cap=cap if cap is not None else "k", pair=names.pair(pair)
    )
    if holding:
        phrase = causes["holding"].format(cause=phrase, pair=names.pair(holding))
    return phrase


def describe_run_notes(
    notes: Sequence[dict], *, cap: int | None = None, language: str | None = None
) -> list[str]:
    """One sentence per named pair that got no proposal in a run: who named whom, and why not
    (for the cap: the proposal that holds the slot)."""
    language = sentence_language(language)
    names = _Names(notes, language)
    return [
        SENTENCES[language]["note"].format(
            seeker=names.city(note.get("seeker")),
            partner=names.city(note.get("partner")),
            cause=cause_phrase(
                note.get("cause", ""),
                names,
                blocking_city=note.get("blocking_city"),
                cap=cap,
                holding=note.get("holding"),
            ),
        )
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
