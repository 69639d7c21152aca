"""The cities fields written in several languages: a column per interface language each
(django-modeltranslation, registered through ``travelsouth.i18n.register_translated``)."""

from travelsouth.i18n import register_translated

from .models import (
    City,
    Country,
    GoodPractice,
    GoodPracticeToTranslate,
    HeritageSite,
    Language,
    Organisation,
    Person,
    Region,
    SustainableDevelopmentGoal,
    Theme,
)

register_translated(Language, ["name"])
register_translated(Region, ["name"])
register_translated(Country, ["name"])
register_translated(Theme, ["name"])
register_translated(SustainableDevelopmentGoal, ["name"])
register_translated(City, ["name", "description"])
register_translated(HeritageSite, ["name"])
register_translated(Organisation, ["name", "acronym"])
register_translated(GoodPractice, ["title", "summary"])
register_translated(GoodPracticeToTranslate, ["title", "summary"])  # the translation queue's proxy
register_translated(Person, ["title"])
