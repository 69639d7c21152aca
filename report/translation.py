"""The report fields written in several languages: a column per interface language each
(django-modeltranslation, registered through ``travelsouth.i18n.register_translated``)."""

from travelsouth.i18n import register_translated

from .models import Decision

register_translated(Decision, ["issue", "decision"])
