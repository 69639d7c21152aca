"""Reading what a matching run needs from the database into the engine's plain data.

Every loader here takes a constant number of queries, whatever the number of cities: one per table
(``values_list`` rows, no model instances, no per-city queries). A one-city refresh first reads the
city's index buckets (who offers what it seeks, who seeks what it offers, who named it), then loads
only the cities found there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields

from django.db.models import IntegerField, Q, Value
from django.utils import timezone

from cities.models import City, GoodPractice, Person, ReviewStatus
from surveys.models import Answer, Question
from webinars.parts import practice_presented

from ..invitations.selectors import CONTACTABLE
from ..models import Interest, MatchingSettings, Partnership, PriorityThemeLink, Proposal
from .engine import (
    BucketIndex,
    Cause,
    CityFacts,
    InterestFacts,
    MatchingProblem,
    Practice,
    Rules,
    SurveyMention,
    Weights,
    pair_cities,
    pair_key,
)
from .engine.candidates import partners_of
from .engine.signals import Profile
from .index import city_buckets


def engine_weights(matching_settings: MatchingSettings) -> Weights:
    """The staff's weights: each engine weight ``x`` is the settings' ``weight_x``."""
    return Weights(
        **{
            field.name: getattr(
                matching_settings, field.name if field.name == "nearby_km" else f"weight_{field.name}"
            )
            for field in fields(Weights)
        }
    )


def engine_rules(matching_settings: MatchingSettings) -> Rules:
    """The staff's rules: each engine rule is the settings' field of the same name."""
    return Rules(**{field.name: getattr(matching_settings, field.name) for field in fields(Rules)})


@dataclass
class LoadedProblem:
    problem: MatchingProblem
    index: BucketIndex | None = None  # a one-city refresh's windows (a full run builds its own)


def priority_themes() -> dict[int, frozenset[int]]:
    themes: dict[int, set[int]] = defaultdict(set)
    for priority_id, theme_id in PriorityThemeLink.objects.order_by().values_list("priority_id", "theme_id"):
        themes[priority_id].add(theme_id)
    return {priority: frozenset(ids) for priority, ids in themes.items()}


def priority_link_strengths() -> dict[int, dict[int, float]]:
    """priority -> theme -> strength, as staff set the links in the admin."""
    strengths: dict[int, dict[int, float]] = defaultdict(dict)
    for priority_id, theme_id, strength in PriorityThemeLink.objects.order_by().values_list(
        "priority_id", "theme_id", "strength"
    ):
        strengths[priority_id][theme_id] = strength
    return dict(strengths)


def _restrict(queryset, field: str, ids: Collection[int] | None):
    """``queryset`` without its default ordering (the loaders build dicts: a sort is wasted work, and
    an ordering by a related name costs a join), restricted to ``ids`` when given."""
    queryset = queryset.order_by()
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(ids)})


def load_city_facts(*, city_ids: Collection[int] | None = None) -> dict[int, CityFacts]:
    """Facts about approved cities (all of them, or ``city_ids``): 8 queries whatever their number."""
    cities = _restrict(City.objects.filter(review_status=ReviewStatus.APPROVED), "id", city_ids)
    rows = list(
        cities.values_list(
            "id",
            "country_id",
            "country__region_id",
            "country__subregion_id",
            "country__is_global_south",
            "is_world_heritage_city",
            "latitude",
            "longitude",
            "kind",
            "population",
        )
    )
    wanted = {row[0] for row in rows}
    ids = wanted if city_ids is not None else None

    languages: dict[int, set[int]] = defaultdict(set)
    for city_id, language_id in _restrict(City.languages.through.objects, "city_id", ids).values_list(
        "city_id", "language_id"
    ):
        languages[city_id].add(language_id)

    # A contact to invite: consent given and not withdrawn, and an e-mail address (as invitations
    # require).
    consenting = set(
        _restrict(Person.objects.filter(CONTACTABLE, city__isnull=False), "city_id", ids)
        .values_list("city_id", flat=True)
        .distinct()
    )

    published = GoodPractice.objects.filter(status=GoodPractice.Status.PUBLISHED, city__isnull=False)
    # Presented at a webinar: by an agenda speaker for the city, not merely quoted or cited there.
    practice_rows = list(
        _restrict(published, "city_id", ids)
        .annotate(presented=practice_presented())
        .values_list("id", "city_id", "presented")
    )
    practice_themes: dict[int, set[int]] = defaultdict(set)
    # Some cities: their practices' themes by the practices' ids (index lookups, no join).
    for practice_id, theme_id in _restrict(
        GoodPractice.themes.through.objects.filter(
            goodpractice__status=GoodPractice.Status.PUBLISHED, goodpractice__city__isnull=False
        )
        if ids is None
        else GoodPractice.themes.through.objects.all(),
        "goodpractice_id",
        None if ids is None else [row[0] for row in practice_rows],
    ).values_list("goodpractice_id", "theme_id"):
        practice_themes[practice_id].add(theme_id)
    practices: dict[int, list[Practice]] = defaultdict(list)
    for practice_id, city_id, presented in practice_rows:
        practices[city_id].append(
            Practice(
                id=practice_id,
                themes=frozenset(practice_themes.get(practice_id, ())),
                presented_at_webinar=presented,
            )
        )

    interests = _load_interests(ids)
    facts = {}
    for (
        city_id,
        country_id,
        region_id,
        subregion_id,
        is_global_south,
        is_world_heritage,
        latitude,
        longitude,
        kind,
        population,
    ) in rows:
        facts[city_id] = CityFacts(
            id=city_id,
            country=country_id,
            regions=frozenset({region_id, subregion_id}),
            subregion=subregion_id,
            latitude=float(latitude) if latitude is not None else None,
            longitude=float(longitude) if longitude is not None else None,
            kind=kind,
            population=population,
            is_global_south=is_global_south,
            is_world_heritage=is_world_heritage,
            languages=frozenset(languages.get(city_id, ())),
            has_consenting_contact=city_id in consenting,
            practices=tuple(practices.get(city_id, ())),
            interest=interests.get(city_id),
        )
    return facts


_INTEREST_RELATIONS = {
    "priorities": ("developmentpriority_id",),
    "themes_sought": ("theme_id",),
    "themes_offered": ("theme_id",),
    "partner_cities": ("city_id",),
    "partner_countries": ("country_id",),
    "partner_regions": ("region_id",),
    "working_languages": ("language_id",),
    "excluded_countries": ("country_id",),
    "excluded_regions": ("region_id",),
}


def _load_interests(city_ids: Collection[int] | None) -> dict[int, InterestFacts]:
    current = _restrict(Interest.objects.filter(is_current=True), "city_id", city_ids)
    rows = list(current.values_list("id", "city_id", "survey_response_id", "survey_response__survey_id"))
    # The seven relations in one query: UNION ALL of (interest, target, relation number). For some
    # cities, by the current interests' ids (index lookups, no join).
    interest_ids = None if city_ids is None else [row[0] for row in rows]
    parts = [
        _restrict(
            getattr(Interest, relation).through.objects.filter(interest__is_current=True)
            if interest_ids is None
            else getattr(Interest, relation).through.objects.all(),
            "interest_id",
            interest_ids,
        )
        .annotate(relation=Value(number, output_field=IntegerField()))
        .values_list("interest_id", column, "relation")
        for number, (relation, (column,)) in enumerate(_INTEREST_RELATIONS.items())
    ]
    names = list(_INTEREST_RELATIONS)
    related: dict[str, dict[int, set[int]]] = {relation: defaultdict(set) for relation in names}
    for interest_id, target_id, number in parts[0].union(*parts[1:], all=True):
        related[names[number]][interest_id].add(target_id)
    mentions = _survey_mentions(
        {(city_id, survey_id) for _, city_id, _, survey_id in rows if survey_id is not None}, city_ids
    )
    interests = {}
    for interest_id, city_id, response_id, survey_id in rows:
        named = frozenset(related["partner_cities"].get(interest_id, ()))
        interests[city_id] = InterestFacts(
            id=interest_id,
            priorities=frozenset(related["priorities"].get(interest_id, ())),
            themes_sought=frozenset(related["themes_sought"].get(interest_id, ())),
            themes_offered=frozenset(related["themes_offered"].get(interest_id, ())),
            partner_cities=named,
            partner_countries=frozenset(related["partner_countries"].get(interest_id, ())),
            partner_regions=frozenset(related["partner_regions"].get(interest_id, ())),
            working_languages=frozenset(related["working_languages"].get(interest_id, ())),
            excluded_countries=frozenset(related["excluded_countries"].get(interest_id, ())),
            excluded_regions=frozenset(related["excluded_regions"].get(interest_id, ())),
            survey_response=response_id,
            survey_mentions=_mentions_for(mentions.get((city_id, survey_id), []), named, response_id)
            if survey_id is not None
            else {},
        )
    return interests


def _survey_mentions(
    wanted: set[tuple[int, int]], city_ids: Collection[int] | None
) -> dict[tuple[int, int], list[tuple[int, int, int, int, dt.datetime]]]:
    """For each (city, survey): the options naming a city that the city's respondents chose."""
    if not wanted:
        return {}
    chosen = Answer.options.through.objects.filter(
        answer__question__purpose=Question.Purpose.PARTNER_CITIES, option__city__isnull=False
    )
    chosen = _restrict(chosen, "answer__response__city_id", city_ids)
    mentions: dict[tuple[int, int], list] = defaultdict(list)
    for (
        response_id,
        answer_id,
        option_id,
        named_city_id,
        city_id,
        survey_id,
        submitted_at,
    ) in chosen.values_list(
        "answer__response_id",
        "answer_id",
        "option_id",
        "option__city_id",
        "answer__response__city_id",
        "answer__response__survey_id",
        "answer__response__submitted_at",
    ):
        if (city_id, survey_id) in wanted:
            mentions[(city_id, survey_id)].append(
                (response_id, answer_id, option_id, named_city_id, submitted_at)
            )
    return mentions


def _mentions_for(
    rows: Iterable[tuple[int, int, int, int, dt.datetime]], named: frozenset[int], response_id: int | None
) -> dict[int, SurveyMention]:
    """The answer to cite for each named city: the interest's own response when it named the city,
    else the city's latest response that did."""
    best: dict[int, tuple[tuple, SurveyMention]] = {}
    for row_response, answer_id, option_id, named_city_id, submitted_at in rows:
        if named_city_id not in named:
            continue
        rank = (row_response == response_id, submitted_at, row_response)
        if named_city_id not in best or rank > best[named_city_id][0]:
            best[named_city_id] = (rank, SurveyMention(row_response, answer_id, option_id))
    return {city: mention for city, (_, mention) in best.items()}


def _proposal_state(
    *, cooling_off_days: int, touching: Collection[int] | None = None
) -> tuple[frozenset[int], dict[int, str]]:
    """The pairs with a proposal awaiting review, and the pairs barred now with why (a partnership,
    an approved proposal, a refusal within the cooling-off period)."""

    def near(queryset):
        if touching is None:
            return queryset.order_by()
        ids = sorted(touching)
        return queryset.order_by().filter(Q(city_a_id__in=ids) | Q(city_b_id__in=ids))

    pending: set[int] = set()
    blocked: dict[int, str] = {}
    for city_a, city_b, status in near(
        Proposal.objects.filter(status__in=Proposal.OPEN_STATUSES)
    ).values_list("city_a_id", "city_b_id", "status"):
        key = pair_key(city_a, city_b)
        if status == Proposal.Status.PENDING:
            pending.add(key)
        else:
            blocked[key] = Cause.OPEN_PROPOSAL
    since = timezone.now() - dt.timedelta(days=cooling_off_days)
    for city_a, city_b in near(
        Proposal.objects.filter(
            status__in=[Proposal.Status.DECLINED, Proposal.Status.REJECTED], decided_at__gte=since
        )
    ).values_list("city_a_id", "city_b_id"):
        blocked.setdefault(pair_key(city_a, city_b), Cause.COOLING_OFF)
    for city_a, city_b in near(Partnership.objects.all()).values_list("city_a_id", "city_b_id"):
        blocked[pair_key(city_a, city_b)] = Cause.PARTNERSHIP
    return frozenset(pending), blocked


def load_problem(*, matching_settings: MatchingSettings) -> LoadedProblem:
    """Everything a run over all cities reads: a constant number of queries (12)."""
    pending, blocked = _proposal_state(cooling_off_days=matching_settings.cooling_off_days)
    problem = MatchingProblem(
        cities=load_city_facts(),
        priority_themes=priority_themes(),
        link_strengths=priority_link_strengths(),
        weights=engine_weights(matching_settings),
        rules=engine_rules(matching_settings),
        pending_pairs=pending,
        blocked_pairs=blocked,
    )
    return LoadedProblem(problem=problem)


def load_city_problem(
    *,
    matching_settings: MatchingSettings,
    city: CityFacts | None,
    city_id: int,
    themes_of_priority: dict[int, frozenset[int]],
) -> LoadedProblem:
    """What a one-city refresh reads, given the city's own facts (``None``: gone or no longer
    approved): its windows into the index buckets, and only the cities found there and those it
    already has proposals with: about 20 queries, whatever the number of cities."""
    rules = engine_rules(matching_settings)
    pending, blocked = _proposal_state(
        cooling_off_days=matching_settings.cooling_off_days, touching=[city_id]
    )
    if city is None:
        # The city is gone or no longer approved: its proposals awaiting review lose their basis.
        problem = MatchingProblem(
            cities={},
            priority_themes=themes_of_priority,
            link_strengths=priority_link_strengths(),
            weights=engine_weights(matching_settings),
            rules=rules,
            pending_pairs=pending,
            blocked_pairs=blocked,
        )
        return LoadedProblem(problem=problem, index=BucketIndex({}, {}, {}, {}))
    own = {city_id: city}
    profile = Profile(own[city_id])
    index = city_buckets(profile, themes_of_priority, rules.bucket_cap)
    partners = set(partners_of(profile, index, rules.bucket_cap, both_ways=True))
    for key in pending:
        partners.update(pair_cities(key))
    partners.discard(city_id)
    cities = {**load_city_facts(city_ids=partners), **own}
    # The partners' proposals awaiting review with other cities: the refresh may displace the
    # weaker ones with a clearly better pair of this city (the rest keep their place).
    weights = engine_weights(matching_settings)
    held: dict[int, tuple[float, bool, float]] = {}
    ids = sorted(partners)
    for city_a, city_b, score, is_invitable, reasons in (
        Proposal.objects.order_by()
        .filter(status=Proposal.Status.PENDING)
        .filter(Q(city_a_id__in=ids) | Q(city_b_id__in=ids))
        .exclude(Q(city_a_id=city_id) | Q(city_b_id=city_id))
        .values_list("city_a_id", "city_b_id", "score", "is_invitable", "reasons")
    ):
        webinar = weights.webinar if any(reason.get("webinar") for reason in reasons or ()) else 0.0
        held[pair_key(city_a, city_b)] = (score, is_invitable, webinar)
    problem = MatchingProblem(
        cities=cities,
        priority_themes=themes_of_priority,
        link_strengths=priority_link_strengths(),
        weights=engine_weights(matching_settings),
        rules=rules,
        pending_pairs=pending,
        blocked_pairs=blocked,
        held=held,
    )
    return LoadedProblem(problem=problem, index=index)
