"""How a consent was given or withdrawn, said in the reader's language.

The consent history stores its source as the text written at the time (``ContactConsentEvent.source``,
``Person.contact_consent_source``): it is a record and is never rewritten. The sources the portal
itself writes have fixed forms, read here and said again through gettext; a city's name is shown in
the reader's language. Anything else (what staff typed when recording a consent obtained elsewhere)
is shown as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext

from .models import City

CONSENT_PAGE = "Consent page (web)"
_INTEREST_FORM = re.compile(r"^Interest form for (?P<city>.+) \(web, interest #(?P<interest>\d+)\)$")
_SURVEY = re.compile(r"^survey:(?P<survey>[\w-]+)$")


def interest_form_source(*, city: City, interest_id: int) -> str:
    """The stored source of a consent given on the interest form (read back by ``source_display``)."""
    return f"Interest form for {city.name} (web, interest #{interest_id})"


def source_display(source: str, *, city_names: dict[str, str] | None = None) -> str:
    """``source`` in the active language; ``city_names`` maps a city's stored name to its name in it."""
    if source == CONSENT_PAGE:
        return gettext("Consent page (web)")
    if match := _INTEREST_FORM.match(source):
        city = (city_names or {}).get(match["city"], match["city"])
        return gettext("Interest form for %(city)s (web, interest #%(interest)s)") % {
            "city": city,
            "interest": match["interest"],
        }
    if match := _SURVEY.match(source):
        return gettext("Answers to the survey %(survey)s") % {"survey": match["survey"]}
    return source


def with_sources_displayed(events: Iterable) -> list:
    """The consent events, each with ``source_display`` in the active language (one query for the
    cities the sources name)."""
    events = list(events)
    named = {match["city"] for event in events if (match := _INTEREST_FORM.match(event.source))}
    city_names = (
        {city.name: city.display_name for city in City.objects.filter(name__in=named)} if named else {}
    )
    for event in events:
        event.source_display = source_display(event.source, city_names=city_names)
    return events
