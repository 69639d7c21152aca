"""The surveys fields written in several languages: a column per interface language each
(django-modeltranslation, registered through ``travelsouth.i18n.register_translated``)."""

from travelsouth.i18n import register_translated

from .models import Option, Question, Survey

register_translated(Survey, ["title", "description"])
register_translated(Question, ["text"])
register_translated(Option, ["label"])
