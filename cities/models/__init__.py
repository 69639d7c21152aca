"""The models of cities, one module per concept.

places.py   languages, UN regions, countries, themes, SDGs, cities and local authorities, heritage
            sites, organisations, good practices
people.py   people (speakers, officials, contacts), their consent to be contacted, city memberships
"""

from .people import CityMembership, ContactConsentEvent, Person
from .places import (
    City,
    Country,
    GoodPractice,
    GoodPracticeToTranslate,
    HeritageSite,
    Language,
    Organisation,
    Region,
    ReviewStatus,
    SustainableDevelopmentGoal,
    Theme,
)

__all__ = [
    "City",
    "CityMembership",
    "ContactConsentEvent",
    "Country",
    "GoodPractice",
    "GoodPracticeToTranslate",
    "HeritageSite",
    "Language",
    "Organisation",
    "Person",
    "Region",
    "ReviewStatus",
    "SustainableDevelopmentGoal",
    "Theme",
]
