"""The matching engine: pure Python on plain data, no Django (see docs/matching.md).

``propose(problem)`` reads a ``MatchingProblem`` (cities, their interests and good practices, the
staff's weights and rules, the pairs already proposed or barred) and returns a ``MatchingOutcome``:
the proposals with their reasons, the proposals awaiting review that lose their place, and why
named pairs were not proposed.
"""

from .candidates import BucketIndex
from .facts import (
    Cause,
    CityFacts,
    Dropped,
    InterestFacts,
    Kind,
    MatchingOutcome,
    MatchingProblem,
    NamedPairNote,
    PairProposal,
    Practice,
    Reason,
    Rules,
    SurveyMention,
    Weights,
    pair_cities,
    pair_key,
)
from .proposing import propose
from .selection import select

__all__ = [
    "BucketIndex",
    "Cause",
    "CityFacts",
    "Dropped",
    "InterestFacts",
    "Kind",
    "MatchingOutcome",
    "MatchingProblem",
    "NamedPairNote",
    "PairProposal",
    "Practice",
    "Reason",
    "Rules",
    "SurveyMention",
    "Weights",
    "pair_cities",
    "pair_key",
    "propose",
    "select",
]
