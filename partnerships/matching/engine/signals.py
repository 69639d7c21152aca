"""Scoring one pair of cities: every signal, its weight and its evidence, plus the exclusion rules."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .facts import Cause, CityFacts, InterestFacts, Kind, Reason, Rules, Weights

_EMPTY: frozenset[int] = frozenset()
_TIE = 1e-6
# Up to this many offers declared without a practice count fully (at ``declared_offer``); beyond,
# each counts that share of it (10 declared: 3/10 each).
DECLARED_FOCUS = 3


class Profile:
    """A city's facts rearranged for scoring: what it offers, theme by theme, and with which practices."""

    __slots__ = (
        "country",
        "declared_factor",
        "has_consenting_contact",
        "id",
        "interest",
        "is_global_south",
        "is_world_heritage",
        "kind",
        "languages",
        "latitude",
        "longitude",
        "offered",
        "practices_by_theme",
        "regions",
        "size_class",
        "strength_by_theme",
        "subregion",
    )

    def __init__(self, city: CityFacts) -> None:
        self.id = city.id
        self.country = city.country
        self.regions = city.regions
        self.is_global_south = city.is_global_south
        self.is_world_heritage = city.is_world_heritage
        self.subregion = city.subregion
        self.latitude = city.latitude
        self.longitude = city.longitude
        self.kind = city.kind
        self.size_class = size_class(city.population)
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
        # Offers declared but shown by no practice count less the more of them a city declares:
        # a city that declares everything is no better a partner for anyone (breadth again).
        declared_only = sum(1 for theme in declared if theme not in practices_by_theme)
        self.declared_factor = min(1.0, DECLARED_FOCUS / declared_only) if declared_only else 1.0
        self.practices_by_theme = {theme: tuple(ids) for theme, ids in practices_by_theme.items()}
        # 2: shown by a practice presented at a webinar; 1: shown by a practice; 0: declared only.
        self.strength_by_theme = strength_by_theme
        self.offered = frozenset(strength_by_theme)
        self.languages = city.languages | (city.interest.working_languages if city.interest else _EMPTY)


# Population classes: under 100,000; to 1 million; to 5 million; more.
SIZE_CLASSES = (100_000, 1_000_000, 5_000_000)


def size_class(population: int | None) -> int | None:
    """0 small, 1 medium, 2 large, 3 very large; None when the population is not known."""
    if population is None:
        return None
    return sum(population >= bound for bound in SIZE_CLASSES)


def distance_km(a: Profile, b: Profile) -> float | None:
    """Great-circle distance between two cities (haversine), None without coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat_a, lat_b = math.radians(a.latitude), math.radians(b.latitude)
    half_lat = (lat_b - lat_a) / 2
    half_lon = math.radians(b.longitude - a.longitude) / 2
    h = math.sin(half_lat) ** 2 + math.cos(lat_a) * math.cos(lat_b) * math.sin(half_lon) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


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


Links = Mapping[int, Mapping[int, float]]  # priority -> theme -> strength (0-1)


def _named(
    seeker: Profile, partner: Profile, weights: Weights, reasons: list[Reason] | None
) -> tuple[float, bool, bool]:
    """Whom ``seeker`` named: the city itself, else its country, else its region (one of the three,
    never two). Returns the score, whether it named the city, and whether any of them holds."""
    interest = seeker.interest
    if partner.id in interest.partner_cities:
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
        return weights.named_city, True, True
    if partner.country in interest.partner_countries:
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
        return weights.named_country, False, True
    regions = interest.partner_regions & partner.regions
    if not regions:
        return 0.0, False, False
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
    return weights.named_region, False, True


def _fit(
    seeker: Profile,
    partner: Profile,
    weights: Weights,
    links: Links,
    reasons: list[Reason] | None,
    themes: set[int] | None,
    cited: set[int] | None,
) -> tuple[float, bool, bool]:
    """How well ``partner``'s offers meet ``seeker``'s asks (its themes sought and priorities), from
    0 to 1, and whether any offer meets any ask.

    Each ask is met by at most one of the partner's themes and each theme meets at most one ask
    (the strongest links first), so one practice is never counted again for every priority it
    touches. A theme sought is met by that theme (link 1); a priority by a theme linked to it, at
    the link's strength. A theme shown by a good practice counts fully, a declared offer at
    ``declared_offer``. The sum is divided by the number of asks: the share of what the city asked
    for that the partner meets, so ticking everything does not make a city fit everyone better.
    """
    interest = seeker.interest
    offered = partner.strength_by_theme
    asks = len(interest.themes_sought) + len(interest.priorities)
    if not asks or not offered:
        return 0.0, False, False
    declared = weights.declared_offer * partner.declared_factor
    options: list[tuple[float, int, int, int]] = []  # (-value, ask kind 0 theme / 1 priority, ask, theme)
    for theme in interest.themes_sought:
        strength = offered.get(theme)
        if strength is not None:
            value = 1.0 if strength >= 1 else declared
            if value > 0:
                options.append((-value, 0, theme, theme))
    for priority in interest.priorities:
        for theme, link in links.get(priority, {}).items():
            strength = offered.get(theme)
            if strength is not None and link > 0:
                value = link * (1.0 if strength >= 1 else declared)
                if value > 0:
                    options.append((-value, 1, priority, theme))
    if not options:
        return 0.0, False, False
    options.sort()
    met: set[tuple[int, int]] = set()
    used: set[int] = set()
    total = 0.0
    webinar = False
    for negative_value, ask_kind, ask, theme in options:
        if (ask_kind, ask) in met or theme in used:
            continue
        met.add((ask_kind, ask))
        used.add(theme)
        total -= negative_value
        webinar = webinar or offered[theme] >= 2
        if reasons is not None:
            practices = tuple(
                practice for practice in partner.practices_by_theme.get(theme, ()) if practice not in cited
            )
            cited.update(practices)
            share = weights.fit * -negative_value / asks
            if ask_kind == 0:
                reason = Reason(
                    kind=Kind.THEME_SOUGHT,
                    weight=share,
                    seeker=seeker.id,
                    partner=partner.id,
                    theme=theme,
                    practices=practices,
                    webinar=offered[theme] >= 2,
                    interest=interest.id,
                )
            else:
                reason = Reason(
                    kind=Kind.PRIORITY,
                    weight=share,
                    seeker=seeker.id,
                    partner=partner.id,
                    priority=ask,
                    themes=(theme,),
                    practices=practices,
                    webinar=offered[theme] >= 2,
                    interest=interest.id,
                )
            reasons.append(reason)
            themes.add(theme)
    return total / asks, True, webinar


def score_pair(
    a: Profile,
    b: Profile,
    weights: Weights,
    links: Links,
    *,
    explain: bool = False,
) -> tuple[float | None, list[Reason] | None, frozenset[int]]:
    """The pair's score, reasons and themes (see ``score_parts``)."""
    score, _webinar, reasons, themes = score_parts(a, b, weights, links, explain=explain)
    return score, reasons, themes


def score_parts(
    a: Profile,
    b: Profile,
    weights: Weights,
    links: Links,
    *,
    explain: bool = False,
) -> tuple[float | None, float, list[Reason] | None, frozenset[int]]:
    """The pair's score (None when no interest signal links them), and with ``explain`` its reasons
    and the themes to propose. Run with ``explain=False`` over every candidate, then with
    ``explain=True`` over the few selected pairs only.

    score = named (each side) + mutual + fit x (fit A->B + fit B->A) + complementary x the weaker
    fit + webinar (once) + shared traits. Shared traits never link a pair by themselves."""
    reasons: list[Reason] | None = [] if explain else None
    themes: set[int] | None = set() if explain else None
    cited: set[int] | None = set() if explain else None
    score = 0.0
    linked = False
    fits = [0.0, 0.0]
    named = [False, False]
    webinar = False
    for side, (seeker, partner) in enumerate(((a, b), (b, a))):
        if seeker.interest is None:
            continue
        named_score, named[side], named_link = _named(seeker, partner, weights, reasons)
        fits[side], fit_link, presented = _fit(seeker, partner, weights, links, reasons, themes, cited)
        webinar = webinar or presented
        score += named_score + weights.fit * fits[side]
        linked = linked or named_link or fit_link
    if not linked:
        return None, 0.0, reasons, frozenset()
    if named[0] and named[1]:
        score += weights.mutual
        if reasons is not None:
            reasons.append(Reason(kind=Kind.MUTUAL, weight=weights.mutual))
    weaker = min(fits)
    if weaker > 0 and weights.complementary:
        score += weights.complementary * weaker
        if reasons is not None:
            reasons.append(Reason(kind=Kind.COMPLEMENTARY, weight=weights.complementary * weaker))
    webinar_bonus = weights.webinar if webinar else 0.0
    # Once per pair, however many practices were presented: a small tie-breaker.
    score += webinar_bonus
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
    if weights.nearby:
        apart = distance_km(a, b)
        if apart is not None:
            near, region = apart <= weights.nearby_km, None
        else:
            # Without coordinates: the same sub-region of the UN's areas (their countries').
            near = a.subregion is not None and a.subregion == b.subregion
            region = a.subregion
        if near:
            score += weights.nearby
            if reasons is not None:
                reasons.append(
                    Reason(
                        kind=Kind.NEARBY,
                        weight=weights.nearby,
                        distance_km=round(apart) if apart is not None else None,
                        region=region,
                    )
                )
    if (
        weights.similar_size
        and a.kind == b.kind
        and a.size_class is not None
        and a.size_class == b.size_class
    ):
        score += weights.similar_size
        if reasons is not None:
            reasons.append(
                Reason(kind=Kind.SIMILAR_SIZE, weight=weights.similar_size, size_class=a.size_class)
            )
    if a.is_global_south != b.is_global_south:
        score += weights.triangular
        if reasons is not None:
            outside = a if not a.is_global_south else b
            reasons.append(Reason(kind=Kind.TRIANGULAR, weight=weights.triangular, partner=outside.id))
    return score, webinar_bonus, reasons, frozenset(themes or ())


def reach_rank(score: float, webinar_bonus: float, invitable: bool, rules: Rules) -> float:
    """What the selection maximises for a pair: its score when both cities can be invited; else
    its score without the webinar bonus, times ``non_invitable_factor``. So an invitable pair ranks
    above a non-invitable one of similar fit, and a webinar never makes up for an unreachable city."""
    if invitable:
        return score
    # A hair lower, so that a tie (factor 1) still goes to the pair that can be invited.
    return (score - webinar_bonus) * rules.non_invitable_factor - _TIE
