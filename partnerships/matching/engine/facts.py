"""The engine's plain data: what it reads about cities, the staff's settings, and what it answers.

Nothing here knows about Django. The loader in ``partnerships/matching_io.py`` fills these from the
database; tests and ``bench/matching.py`` build them by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# A pair of cities is one integer: the lower id in the high bits. It is smaller than a tuple, which
# matters when a run holds millions of candidate pairs.
_SHIFT = 32


def pair_key(city_id: int, other_id: int) -> int:
    low, high = (city_id, other_id) if city_id < other_id else (other_id, city_id)
    return (low << _SHIFT) | high


def pair_cities(key: int) -> tuple[int, int]:
    return key >> _SHIFT, key & ((1 << _SHIFT) - 1)


@dataclass(frozen=True, slots=True)
class Practice:
    """A published good practice of a city: its themes, and whether a webinar of the series showed it."""

    id: int
    themes: frozenset[int]
    presented_at_webinar: bool = False


@dataclass(frozen=True, slots=True)
class SurveyMention:
    """The survey answer in which a city named another: the response, the answer and the option chosen."""

    survey_response: int
    answer: int
    option: int


@dataclass(frozen=True, slots=True, eq=False)
class InterestFacts:
    """A city's current partnership interest."""

    id: int
    priorities: frozenset[int] = frozenset()
    themes_sought: frozenset[int] = frozenset()
    themes_offered: frozenset[int] = frozenset()
    partner_cities: frozenset[int] = frozenset()
    partner_countries: frozenset[int] = frozenset()
    partner_regions: frozenset[int] = frozenset()
    working_languages: frozenset[int] = frozenset()
    # Where the city said it does not want partners (a survey's "no" to a country's cities).
    excluded_countries: frozenset[int] = frozenset()
    excluded_regions: frozenset[int] = frozenset()
    survey_response: int | None = None
    # Named partner city -> the survey answer that named it, when the name came from a survey.
    survey_mentions: Mapping[int, SurveyMention] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, eq=False)
class CityFacts:
    id: int
    country: int
    regions: frozenset[int] = frozenset()  # the country's UN region and sub-region
    is_global_south: bool = True
    is_world_heritage: bool = False
    languages: frozenset[int] = frozenset()
    has_consenting_contact: bool = False
    practices: tuple[Practice, ...] = ()
    interest: InterestFacts | None = None
    subregion: int | None = None  # the country's UN sub-region (also in ``regions``)
    latitude: float | None = None
    longitude: float | None = None
    kind: str = "city"  # city, province, national, region (City.Kind)
    population: int | None = None


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal adds to a pair's score. Staff change them in the admin (MatchingSettings)."""

    named_city: float = 8.0
    mutual: float = 4.0
    named_country: float = 3.0
    named_region: float = 1.5
    # Topical fit, per side: a city whose every ask (theme sought, priority) the other meets with a
    # good practice adds ``fit``; half of its asks met, half of it (breadth has diminishing returns:
    # a city that ticks everything is not a better fit for anyone). See docs/matching.md.
    fit: float = 6.0
    # Added in proportion to the weaker side's fit: each city needs what the other offers.
    complementary: float = 4.0
    # How much an offer declared in an interest but shown by no good practice counts (0-1).
    declared_offer: float = 0.5
    # Once per pair, when a practice cited was presented at a webinar of the series.
    webinar: float = 0.5
    world_heritage: float = 1.0
    common_language: float = 1.0
    # Within ``nearby_km`` of each other (from their coordinates), or in the same sub-region when a
    # city has none: neighbours share visitors, routes and conditions.
    nearby: float = 1.0
    # Of the same kind (city or province) and population class: peers face the same problems.
    similar_size: float = 0.5
    triangular: float = 0.0
    # Not a weight: two cities this close (great-circle km) are neighbours for ``nearby``.
    nearby_km: float = 1500.0


@dataclass(frozen=True, slots=True)
class Rules:
    proposals_per_city: int = 3
    allow_same_country: bool = False
    allow_triangular: bool = True
    min_score: float = 0.0
    # How many partners one city considers per index bucket (a theme, a priority, a country, a region).
    bucket_cap: int = 16
    # Reachable first: a pair without a consenting contact on both sides is ranked at its score
    # (less any webinar bonus) times this factor, so an invitable pair of similar fit comes first.
    non_invitable_factor: float = 0.7
    # Whether pairs that cannot be invited yet take a city's slots (off: they have slots of their
    # own, as many, and never crowd out an invitable pair).
    non_invitable_uses_slots: bool = True
    # The selection never drops a pair that is this much better (25%) than a pair each of its
    # cities keeps instead (see docs/matching.md, "Selection").
    clear_margin: float | None = 0.25  # None: the plain maximum total (for measurements)


class Kind:
    """Kinds of reason a pair is proposed."""

    NAMED_CITY = "named_city"
    MUTUAL = "mutual"
    NAMED_COUNTRY = "named_country"
    NAMED_REGION = "named_region"
    THEME_SOUGHT = "theme_sought"
    PRIORITY = "priority"
    COMPLEMENTARY = "complementary"
    WORLD_HERITAGE = "world_heritage"
    COMMON_LANGUAGE = "common_language"
    NEARBY = "nearby"
    SIMILAR_SIZE = "similar_size"
    TRIANGULAR = "triangular"

    INTEREST_KINDS = frozenset({NAMED_CITY, NAMED_COUNTRY, NAMED_REGION, THEME_SOUGHT, PRIORITY})


class Cause:
    """Why a pair is not proposed, or why a proposal awaiting review loses its place."""

    SAME_COUNTRY = "same_country"
    NORTH_NORTH = "north_north"
    TRIANGULAR_NOT_ALLOWED = "triangular_not_allowed"
    NOT_WANTED = "not_wanted"
    PARTNERSHIP = "partnership"
    OPEN_PROPOSAL = "open_proposal"
    COOLING_OFF = "cooling_off"
    INACTIVE_CITY = "inactive_city"
    NO_BASIS = "no_basis"
    BELOW_MIN_SCORE = "below_min_score"
    CAP = "cap"
    DISPLACED = "displaced"  # a proposal awaiting review replaced by a better pair of one of its cities


@dataclass(frozen=True, slots=True)
class Reason:
    """One signal behind a proposal, with the ids of its evidence. ``seeker`` is the city whose
    interest the signal rests on and ``partner`` the other one (both empty for shared traits)."""

    kind: str
    weight: float
    seeker: int | None = None
    partner: int | None = None
    theme: int | None = None
    priority: int | None = None
    country: int | None = None
    region: int | None = None
    languages: tuple[int, ...] = ()
    themes: tuple[int, ...] = ()
    distance_km: int | None = None
    size_class: int | None = None
    practices: tuple[int, ...] = ()
    webinar: bool = False
    interest: int | None = None
    survey_response: int | None = None
    answer: int | None = None
    option: int | None = None

    def as_data(self) -> dict:
        """A JSON-ready dict without the empty fields."""
        data: dict = {"kind": self.kind, "weight": round(self.weight, 4)}
        for name in self.__slots__:
            if name in ("kind", "weight"):
                continue
            value = getattr(self, name)
            if value is None or value is False or value == ():
                continue
            data[name] = list(value) if isinstance(value, tuple) else value
        return data


@dataclass(frozen=True, slots=True)
class PairProposal:
    city_a: int  # the lower id
    city_b: int
    score: float
    reasons: tuple[Reason, ...]
    themes: frozenset[int]
    is_triangular: bool
    is_invitable: bool
    was_pending: bool


@dataclass(frozen=True, slots=True)
class Dropped:
    """A proposal awaiting review that the run no longer keeps."""

    city_a: int
    city_b: int
    cause: str
    blocking_city: int | None = None
    # DISPLACED: the pair that took the place (city ids, lower first).
    replaced_by: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class NamedPairNote:
    """A city named another, and no proposal for the pair came out of the run: why. For the cap,
    ``holding`` is the weakest proposal of the full city, the one holding the slot."""

    seeker: int
    partner: int
    cause: str
    blocking_city: int | None = None
    holding: tuple[int, int] | None = None

    def as_data(self) -> dict:
        data = {"seeker": self.seeker, "partner": self.partner, "cause": self.cause}
        if self.blocking_city is not None:
            data["blocking_city"] = self.blocking_city
        if self.holding is not None:
            data["holding"] = list(self.holding)
        return data


@dataclass(slots=True)
class MatchingProblem:
    """Everything one run reads. ``pending_pairs`` are proposals awaiting review: they keep their
    place while their basis stands. ``blocked_pairs`` maps pairs that may not be proposed now
    (a partnership, an approved proposal, a recent refusal) to the cause. In a one-city refresh,
    ``fixed_load`` counts each other city's proposals awaiting review that the refresh leaves alone,
    and ``held`` lists the partners' proposals awaiting review that it may displace: pair -> (score,
    invitable, webinar bonus in the score)."""

    cities: Mapping[int, CityFacts]
    priority_themes: Mapping[int, frozenset[int]] = field(default_factory=dict)
    # priority -> theme -> how strongly the theme addresses the priority (0-1; missing: 1). Staff
    # edit the links in the admin (PriorityThemeLink).
    link_strengths: Mapping[int, Mapping[int, float]] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)
    rules: Rules = field(default_factory=Rules)
    pending_pairs: frozenset[int] = frozenset()
    blocked_pairs: Mapping[int, str] = field(default_factory=dict)
    fixed_load: Mapping[int, int] = field(default_factory=dict)
    held: Mapping[int, tuple[float, bool, float]] = field(default_factory=dict)

    def priority_links(self) -> dict[int, dict[int, float]]:
        """priority -> theme -> strength, for every theme that addresses a priority."""
        return {
            priority: {
                theme: self.link_strengths.get(priority, {}).get(theme, 1.0) for theme in sorted(themes)
            }
            for priority, themes in self.priority_themes.items()
        }


@dataclass(slots=True)
class MatchingOutcome:
    proposals: list[PairProposal]
    dropped: list[Dropped]
    notes: list[NamedPairNote]
    candidate_count: int
