"""The webinars fields written in several languages: a column per interface language each
(django-modeltranslation, registered through ``travelsouth.i18n.register_translated``)."""

from travelsouth.i18n import register_translated

from .models import AgendaItem, Quote, QuoteSpeaker, ViewCount, Webinar, WebinarSeries

register_translated(WebinarSeries, ["title", "subtitle", "description"])
register_translated(Webinar, ["title", "summary", "recording_note"])
register_translated(AgendaItem, ["title", "speaker_role", "moderator_role"])
register_translated(ViewCount, ["platform", "source"])
register_translated(Quote, ["text"])
register_translated(QuoteSpeaker, ["role"])
