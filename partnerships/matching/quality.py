"""Gold scenarios: designed sets of cities with the pairs a broker expects and the pairs that must
not appear, run through the engine on plain data (no database), and the figures that say how well
it did (``manage.py matching_quality``; docs/matching.md, "Gold scenarios").

A scenario is a YAML file::

    name: Andean heritage and transport
    proposals_per_city: 2
    countries:                      # code: region, sub-region, in the global South?
      PE: {region: americas, subregion: south-america, south: true}
    cities:
      - slug: cusco
        country: PE
        world_heritage: true        # optional, as are all below
        latitude: -13.53            # coordinates, kind (city, province...) and population
        longitude: -71.97
        kind: city
        population: 430000
        consent: true               # a contact who agreed to be contacted
        languages: [es]
        practices:                  # each: its themes (vocabulary slugs), presented at a webinar?
          - {themes: [heritage-conservation], webinar: false}
        interest:
          themes_sought: [transport]
          themes_offered: []
          priorities: [transport]
          cities: [la-paz]          # named partner cities
          countries: [BO]
          regions: [americas]
          not_countries: []         # a stated "no"
          not_regions: []
    expected: [[cusco, la-paz]]     # pairs a broker would propose
    forbidden: [[cusco, arequipa]]  # pairs that must not appear

Themes and development priorities, with the priority-to-theme links and their strengths, come from
the vocabulary (``data/report/vocabulary.yaml``), as a new database gets them.

Figures, per scenario and over all of them:

- precision: of the proposals a scenario judges (expected or forbidden), the share expected;
- recall: of the expected pairs, the share proposed;
- share invitable: of the proposals, the share whose two cities can both be invited;
- agreement: the cities registered one after another, each followed by its one-city refresh (as
  in real use), against one run over all of them: pairs in both / pairs in either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .engine import (
    CityFacts,
    InterestFacts,
    MatchingProblem,
    Practice,
    Rules,
    pair_cities,
    pair_key,
    propose,
)
from .engine.signals import Profile, reach_rank, score_parts

ROOT = Path(__file__).resolve().parent.parent.parent
VOCABULARY = ROOT / "data" / "report" / "vocabulary.yaml"
SCENARIOS = ROOT / "tests" / "partnerships" / "matching" / "gold"


class ScenarioError(ValueError):
    """A scenario file that cannot be read: the file and what is wrong."""


@dataclass
class Vocabulary:
    themes: dict[str, int]
    priorities: dict[str, int]
    links: dict[int, dict[int, float]]  # priority -> theme -> strength
    languages: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path = VOCABULARY) -> Vocabulary:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        themes = {row["slug"]: number for number, row in enumerate(data["themes"], start=1)}
        priorities = {row["slug"]: 1000 + number for number, row in enumerate(data["priorities"], start=1)}
        links: dict[int, dict[int, float]] = {}
        for row in data["priorities"]:
            rows = row.get("links") or [{"theme": slug} for slug in row.get("themes", [])]
            links[priorities[row["slug"]]] = {
                themes[link["theme"]]: float(link.get("strength", 1.0)) for link in rows
            }
        languages = {row["code"]: 5000 + number for number, row in enumerate(data["languages"], start=1)}
        return cls(themes=themes, priorities=priorities, links=links, languages=languages)


@dataclass
class Scenario:
    name: str
    path: Path
    problem: MatchingProblem
    slugs: dict[int, str]  # city id -> slug
    expected: set[int]
    forbidden: set[int]

    def pair_names(self, key: int) -> str:
        city_a, city_b = pair_cities(key)
        return f"{self.slugs[city_a]}-{self.slugs[city_b]}"


def _ids(registry: dict[str, int], names: Iterable[str], what: str, path: Path) -> frozenset[int]:
    try:
        return frozenset(registry[name] for name in names or ())
    except KeyError as error:
        raise ScenarioError(f"{path.name}: unknown {what} {error.args[0]!r}") from None


def read_scenario(path: Path, vocabulary: Vocabulary) -> Scenario:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        countries_data = data["countries"]
        rows = data["cities"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise ScenarioError(f"{path.name}: {error}") from None
    countries = {code: 100 + number for number, code in enumerate(countries_data, start=1)}
    region_names = sorted(
        {value for row in countries_data.values() for value in (row["region"], row.get("subregion"))} - {None}
    )
    regions = {name: 200 + number for number, name in enumerate(region_names, start=1)}
    slugs = {row["slug"]: number for number, row in enumerate(rows, start=1)}
    if len(slugs) != len(rows):
        raise ScenarioError(f"{path.name}: two cities share a slug")
    languages = dict(vocabulary.languages)
    cities: dict[int, CityFacts] = {}
    practice_id = 0
    for row in rows:
        city_id = slugs[row["slug"]]
        country = row.get("country")
        if country not in countries:
            raise ScenarioError(f"{path.name}: {row['slug']} has unknown country {country!r}")
        place = countries_data[country]
        practices = []
        for item in row.get("practices", []):
            practice_id += 1
            practices.append(
                Practice(
                    id=city_id * 100 + practice_id,
                    themes=_ids(vocabulary.themes, item.get("themes", []), "theme", path),
                    presented_at_webinar=bool(item.get("webinar", False)),
                )
            )
        for code in row.get("languages", []):
            languages.setdefault(code, 5000 + len(languages) + 1)
        wish = row.get("interest")
        interest = None
        if wish is not None:
            interest = InterestFacts(
                id=city_id,
                priorities=_ids(vocabulary.priorities, wish.get("priorities"), "priority", path),
                themes_sought=_ids(vocabulary.themes, wish.get("themes_sought"), "theme", path),
                themes_offered=_ids(vocabulary.themes, wish.get("themes_offered"), "theme", path),
                partner_cities=_ids(slugs, wish.get("cities"), "city", path),
                partner_countries=_ids(countries, wish.get("countries"), "country", path),
                partner_regions=_ids(regions, wish.get("regions"), "region", path),
                working_languages=_ids(languages, wish.get("languages"), "language", path),
                excluded_countries=_ids(countries, wish.get("not_countries"), "country", path),
                excluded_regions=_ids(regions, wish.get("not_regions"), "region", path),
            )
        cities[city_id] = CityFacts(
            id=city_id,
            country=countries[country],
            regions=frozenset(regions[name] for name in (place["region"], place.get("subregion")) if name),
            subregion=regions.get(place.get("subregion")),
            latitude=row.get("latitude"),
            longitude=row.get("longitude"),
            kind=row.get("kind", "city"),
            population=row.get("population"),
            is_global_south=bool(place.get("south", True)),
            is_world_heritage=bool(row.get("world_heritage", False)),
            languages=_ids(languages, row.get("languages"), "language", path),
            has_consenting_contact=bool(row.get("consent", False)),
            practices=tuple(practices),
            interest=interest,
        )

    def pairs(name: str) -> set[int]:
        found = set()
        for pair in data.get(name, []):
            if len(pair) != 2 or pair[0] == pair[1]:
                raise ScenarioError(f"{path.name}: {name} has {pair!r}, not a pair of two cities")
            city_a, city_b = _ids(slugs, pair, "city", path)
            found.add(pair_key(city_a, city_b))
        return found

    expected, forbidden = pairs("expected"), pairs("forbidden")
    if expected & forbidden:
        raise ScenarioError(f"{path.name}: a pair is both expected and forbidden")
    themes_of = {priority: frozenset(themes) for priority, themes in vocabulary.links.items()}
    problem = MatchingProblem(
        cities=cities,
        priority_themes=themes_of,
        link_strengths=vocabulary.links,
        rules=Rules(proposals_per_city=int(data.get("proposals_per_city", 3))),
    )
    return Scenario(
        name=data.get("name", path.stem),
        path=path,
        problem=problem,
        slugs={number: slug for slug, number in slugs.items()},
        expected=expected,
        forbidden=forbidden,
    )


def batch(problem: MatchingProblem) -> dict[int, bool]:
    """One run over all cities: pair -> invitable."""
    return {
        pair_key(proposal.city_a, proposal.city_b): proposal.is_invitable
        for proposal in propose(problem).proposals
    }


def incremental(problem: MatchingProblem) -> set[int]:
    """The cities registered one after another, each followed by its one-city refresh, which keeps
    or displaces the proposals awaiting review (as ``city_proposals_refresh`` does)."""
    pending: set[int] = set()
    registered: dict[int, CityFacts] = {}
    for city_id in sorted(problem.cities):
        registered[city_id] = problem.cities[city_id]
        displaced = _refresh(problem, registered, pending, city_id)
        # The cities that lost a proposal to the refresh are refreshed once in turn.
        for other in sorted(displaced):
            _refresh(problem, registered, pending, other)
    return pending


def _refresh(
    problem: MatchingProblem, registered: dict[int, CityFacts], pending: set[int], city_id: int
) -> set[int]:
    """One one-city refresh on ``pending`` (changed in place); returns the other cities of the
    proposals it displaced."""
    links = problem.priority_links()
    profiles = {city: Profile(facts) for city, facts in registered.items()}
    held = {}
    for key in pending:
        city_a, city_b = pair_cities(key)
        if city_id in (city_a, city_b):
            continue
        score, webinar, _, _ = score_parts(profiles[city_a], profiles[city_b], problem.weights, links)
        if score is not None:
            reachable = profiles[city_a].has_consenting_contact and profiles[city_b].has_consenting_contact
            held[key] = (score, reachable, webinar)
    step = MatchingProblem(
        cities=dict(registered),
        priority_themes=problem.priority_themes,
        link_strengths=problem.link_strengths,
        weights=problem.weights,
        rules=problem.rules,
        pending_pairs=frozenset(key for key in pending if city_id in pair_cities(key)),
        held=held,
    )
    outcome = propose(step, only_city=city_id)
    displaced = set()
    for drop in outcome.dropped:
        pending.discard(pair_key(drop.city_a, drop.city_b))
        if city_id not in (drop.city_a, drop.city_b):
            displaced.update({drop.city_a, drop.city_b})
    pending.update(pair_key(proposal.city_a, proposal.city_b) for proposal in outcome.proposals)
    return displaced


@dataclass
class Figures:
    name: str
    proposed: int
    judged: int
    correct: int
    expected: int
    found: int
    invitable: int
    invitable_possible: bool
    agreement: float
    missed: list[str]
    wrong: list[str]

    @property
    def precision(self) -> float:
        return self.correct / self.judged if self.judged else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def share_invitable(self) -> float:
        return self.invitable / self.proposed if self.proposed else 1.0


def evaluate(scenario: Scenario) -> Figures:
    proposed = batch(scenario.problem)
    built = incremental(scenario.problem)
    judged = set(proposed) & (scenario.expected | scenario.forbidden)
    either = set(proposed) | built
    invitable_possible = any(
        facts.has_consenting_contact for facts in scenario.problem.cities.values()
    ) and _invitable_candidates(scenario.problem)
    return Figures(
        name=scenario.name,
        proposed=len(proposed),
        judged=len(judged),
        correct=len(judged & scenario.expected),
        expected=len(scenario.expected),
        found=len(set(proposed) & scenario.expected),
        invitable=sum(proposed.values()),
        invitable_possible=invitable_possible,
        agreement=len(set(proposed) & built) / len(either) if either else 1.0,
        missed=sorted(scenario.pair_names(key) for key in scenario.expected - set(proposed)),
        wrong=sorted(scenario.pair_names(key) for key in set(proposed) & scenario.forbidden),
    )


def _invitable_candidates(problem: MatchingProblem) -> bool:
    """Whether any pair the engine could propose has both cities invitable."""
    reachable = {city for city, facts in problem.cities.items() if facts.has_consenting_contact}
    if len(reachable) < 2:
        return False
    links = problem.priority_links()
    profiles = {city: Profile(problem.cities[city]) for city in reachable}
    for city_a in profiles.values():
        for city_b in profiles.values():
            if city_a.id < city_b.id:
                score, webinar, _, _ = score_parts(city_a, city_b, problem.weights, links)
                if score and reach_rank(score, webinar, True, problem.rules) > 0:
                    return True
    return False


def scenario_files(directory: Path = SCENARIOS) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def table(figures: list[Figures]) -> str:
    """The figures as a plain-text table, with a line over all scenarios."""
    header = (
        f"{'scenario':<44} {'proposed':>8} {'precision':>9} {'recall':>7} {'invitable':>9} {'agreement':>9}"
    )
    lines = [header, "-" * len(header)]
    for row in figures:
        lines.append(
            f"{row.name[:44]:<44} {row.proposed:>8} {row.precision:>9.2f} {row.recall:>7.2f} "
            f"{row.share_invitable:>9.2f} {row.agreement:>9.2f}"
        )
    total = Figures(
        name="all scenarios",
        proposed=sum(row.proposed for row in figures),
        judged=sum(row.judged for row in figures),
        correct=sum(row.correct for row in figures),
        expected=sum(row.expected for row in figures),
        found=sum(row.found for row in figures),
        invitable=sum(row.invitable for row in figures),
        invitable_possible=True,
        agreement=sum(row.agreement for row in figures) / len(figures) if figures else 1.0,
        missed=[],
        wrong=[],
    )
    lines.append("-" * len(header))
    lines.append(
        f"{total.name:<44} {total.proposed:>8} {total.precision:>9.2f} {total.recall:>7.2f} "
        f"{total.share_invitable:>9.2f} {total.agreement:>9.2f}"
    )
    for row in figures:
        if row.missed:
            lines.append(f"{row.name}: expected, not proposed: {', '.join(row.missed)}")
        if row.wrong:
            lines.append(f"{row.name}: proposed, must not be: {', '.join(row.wrong)}")
    return "\n".join(lines)
