"""Scoring one pair of cities: every signal, its weight and its evidence, plus the exclusion rules."""

from __future__ import annotations

from collections.abc import Mapping

from .facts import Cause, CityFacts, InterestFacts, Kind, Reason, Rules, Weights

_EMPTY: frozenset[int] = frozenset()


class Profile:
    """A city's facts rearranged for scoring: what it offers, theme by theme, and with which practices."""

    __slots__ = (
        "country",
        "has_consenting_contact",
        "id",
        "interest",
        "is_global_south",
        "is_world_heritage",
        "languages",
        "offered",
        "practices_by_theme",
        "regions",
        "strength_by_theme",
    )

    def __init__(self, city: CityFacts) -> None:
        self.id = city.id
        self.country = city.country
        self.regions = city.regions
        self.is_global_south = city.is_global_south
        self.is_world_heritage = city.is_world_heritage
        self.has_consenting_contact = city.has_consenting_contact
        self.interest: InterestFacts | None = city.interest
        practices_by_theme: dict[int, list[int]] = {}
        strength_by_theme: dict[int, int] = {}
        for practice in sorted(city.practices, key=lambda practice: practice.id):
            strength = 2 if practice.presented_at_webinar else 1
            for theme in practice.themes:
                practices_by_theme.setdefault(theme, []).append(practice.id)
                strength_by_theme[theme] = max(strength_by_theme.get(theme, 0), strength)
        declared = city.interest.themes_offered if city.interest else _EMPTY
        for theme in declared:
            strength_by_theme.setdefault(theme, 0)
        self.practices_by_theme = {theme: tuple(ids) for theme, ids in practices_by_theme.items()}
        # 2: shown by a practice presented at a webinar; 1: shown by a practice; 0: declared only.
        self.strength_by_theme = strength_by_theme
        self.offered = frozenset(strength_by_theme)
        self.languages = city.languages | (city.interest.working_languages if city.interest else _EMPTY)


def exclusion(a: Profile, b: Profile, rules: Rules) -> str | None:
    """The rule that forbids proposing this pair, if any (pair-level bans come from the database)."""
    if a.country == b.country and not rules.allow_same_country:
        return Cause.SAME_COUNTRY
    if not a.is_global_south and not b.is_global_south:
        return Cause.NORTH_NORTH
    if a.is_global_south != b.is_global_south and not rules.allow_triangular:
        return Cause.TRIANGULAR_NOT_ALLOWED
    if not_wanted(a, b) or not_wanted(b, a):
        return Cause.NOT_WANTED
    return None


def not_wanted(seeker: Profile, partner: Profile) -> bool:
    """The seeker said it does not want partners in the partner's country or region (a survey's
    "no" to a country's cities, or the interest form). Naming the partner city itself is the more
    specific wish and wins over that general "no"."""
    interest = seeker.interest
    if interest is None or partner.id in interest.partner_cities:
        return False
    return partner.country in interest.excluded_countries or bool(partner.regions & interest.excluded_regions)


def _offer_weight(weights: Weights, base: float, strength: int) -> float:
    weight = base
    if strength >= 1:
        weight += weights.practice_evidence
    if strength >= 2:
        weight += weights.webinar
    return weight


def _directed(
    seeker: Profile,
    partner: Profile,
    weights: Weights,
    priority_themes: Mapping[int, frozenset[int]],
    reasons: list[Reason] | None,
    themes: set[int] | None,
) -> tuple[float, bool, bool]:
    """The signals resting on ``seeker``'s interest: whom it named, what it seeks that ``partner``
    offers. Returns the score they add, whether ``seeker`` named ``partner`` itself, and whether any
    signal links them at all (a signal still links when staff set its weight to 0)."""
    interest = seeker.interest
    if interest is None:
        return 0.0, False, False
    score = 0.0
    linked = True
    named = partner.id in interest.partner_cities
    if named:
        score += weights.named_city
        if reasons is not None:
            mention = interest.survey_mentions.get(partner.id)
            reasons.append(
                Reason(
                    kind=Kind.NAMED_CITY,
                    weight=weights.named_city,
                    seeker=seeker.id,
                    partner=partner.id,
                    interest=interest.id,
                    survey_response=mention.survey_response if mention else None,
                    answer=mention.answer if mention else None,
                    option=mention.option if mention else None,
                )
            )
    elif partner.country in interest.partner_countries:
        score += weights.named_country
        if reasons is not None:
            reasons.append(
                Reason(
                    kind=Kind.NAMED_COUNTRY,
                    weight=weights.named_country,
                    seeker=seeker.id,
                    partner=partner.id,
                    country=partner.country,
                    interest=interest.id,
                )
            )
    else:
        regions = interest.partner_regions & partner.regions
        linked = bool(regions)
        if regions:
            score += weights.named_region
            if reasons is not None:
                reasons.append(
                    Reason(
                        kind=Kind.NAMED_REGION,
                        weight=weights.named_region,
                        seeker=seeker.id,
                        partner=partner.id,
                        region=min(regions),
                        interest=interest.id,
                    )
                )
    offered = partner.offered
    strength_by_theme = partner.strength_by_theme
    sought = interest.themes_sought & offered
    linked = linked or bool(sought)
    for theme in sorted(sought) if reasons is not None else sought:
        weight = _offer_weight(weights, weights.theme_sought, strength_by_theme[theme])
        score += weight
        if reasons is not None:
            practices = partner.practices_by_theme.get(theme, ())
            reasons.append(
                Reason(
                    kind=Kind.THEME_SOUGHT,
                    weight=weight,
                    seeker=seeker.id,
                    partner=partner.id,
                    theme=theme,
                    practices=practices,
                    webinar=strength_by_theme[theme] >= 2,
                    interest=interest.id,
                )
            )
            themes.add(theme)
    for priority in sorted(interest.priorities) if reasons is not None else interest.priorities:
        addressed = priority_themes.get(priority, _EMPTY) & offered
        if not addressed:
            continue
        linked = True
        strength = max(strength_by_theme[theme] for theme in addressed)
        weight = _offer_weight(weights, weights.priority, strength)
        score += weight
        if reasons is not None:
            practices = sorted(
                {practice for theme in addressed for practice in partner.practices_by_theme.get(theme, ())}
            )
            reasons.append(
                Reason(
                    kind=Kind.PRIORITY,
                    weight=weight,
                    seeker=seeker.id,
                    partner=partner.id,
                    priority=priority,
                    themes=tuple(sorted(addressed)),
                    practices=tuple(practices),
                    webinar=strength >= 2,
                    interest=interest.id,
                )
            )
            themes.update(addressed)
    return score, named, linked


def score_pair(
    a: Profile,
    b: Profile,
    weights: Weights,
    priority_themes: Mapping[int, frozenset[int]],
    *,
    explain: bool = False,
) -> tuple[float | None, list[Reason] | None, frozenset[int]]:
    """The pair's score (None when no interest signal links them), and with ``explain`` its reasons
    and the themes to propose. Run with ``explain=False`` over every candidate, then with
    ``explain=True`` over the few selected pairs only."""
    reasons: list[Reason] | None = [] if explain else None
    themes: set[int] | None = set() if explain else None
    score_ab, a_named_b, a_linked = _directed(a, b, weights, priority_themes, reasons, themes)
    score_ba, b_named_a, b_linked = _directed(b, a, weights, priority_themes, reasons, themes)
    if not (a_linked or b_linked):
        return None, reasons, frozenset()
    score = score_ab + score_ba
    if a_named_b and b_named_a:
        score += weights.mutual
        if reasons is not None:
            reasons.append(Reason(kind=Kind.MUTUAL, weight=weights.mutual))
    if a.is_world_heritage and b.is_world_heritage:
        score += weights.world_heritage
        if reasons is not None:
            reasons.append(Reason(kind=Kind.WORLD_HERITAGE, weight=weights.world_heritage))
    common = a.languages & b.languages
    if common:
        score += weights.common_language
        if reasons is not None:
            reasons.append(
                Reason(
                    kind=Kind.COMMON_LANGUAGE, weight=weights.common_language, languages=tuple(sorted(common))
                )
            )
    if a.is_global_south != b.is_global_south:
        score += weights.triangular
        if reasons is not None:
            outside = a if not a.is_global_south else b
            reasons.append(Reason(kind=Kind.TRIANGULAR, weight=weights.triangular, partner=outside.id))
    return score, reasons, frozenset(themes or ())
