"""The models of partnerships, one module per concept.

interests.py     development priorities and the cities' partnership interests
proposals.py     proposals (pairs of cities) and the partnerships formed from them
outcomes.py      what a partnership brings about: agreements, joint activities, check-ins
timeline.py      what happened to a proposal or a partnership (written by partnerships/timeline.py only)
matching.py      the matching's settings, its runs, and the index a one-city refresh reads
invitations.py   every e-mail sent to a city contact, its settings, training workshops
"""

from .interests import DevelopmentPriority, Interest, PriorityThemeLink
from .invitations import (
    NEEDS_CONSENT,
    NOT_HANDED_OVER,
    CheckInProgress,
    Invitation,
    InvitationQuerySet,
    InvitationSettings,
    TrainingWorkshop,
)
from .matching import IndexEntry, MatchingRun, MatchingSettings
from .outcomes import Agreement, CheckIn, JointActivity
from .proposals import Partnership, Proposal
from .timeline import TimelineEvent

__all__ = [
    "NEEDS_CONSENT",
    "NOT_HANDED_OVER",
    "Agreement",
    "CheckIn",
    "CheckInProgress",
    "DevelopmentPriority",
    "IndexEntry",
    "Interest",
    "Invitation",
    "InvitationQuerySet",
    "InvitationSettings",
    "JointActivity",
    "MatchingRun",
    "MatchingSettings",
    "Partnership",
    "PriorityThemeLink",
    "Proposal",
    "TimelineEvent",
    "TrainingWorkshop",
]
