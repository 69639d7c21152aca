"""The partnerships fields written in several languages: a column per interface language each
(django-modeltranslation, registered through ``travelsouth.i18n.register_translated``)."""

from travelsouth.i18n import register_translated

from .models import DevelopmentPriority, TrainingWorkshop

register_translated(DevelopmentPriority, ["name"])
register_translated(TrainingWorkshop, ["title", "description"])
