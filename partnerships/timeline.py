"""The timeline of proposals and partnerships: the one writer, and the sentences read from it.

Every timeline row is written here (``timeline_record``, or ``timeline_record_many`` for a run's
batch); a test fails if any other module creates one. A row stores what happened as data: its kind,
who acted (a staff member, a city's contact, or Travel South itself), and the structured facts
(ids, scores, the reason given). The sentence is made when someone reads it, through gettext, in the
reader's language (``timeline_entries``), so a Spanish- or Chinese-speaking staff member reads the
same history in their language. Names of people are shown as recorded; names of cities and themes
are looked up and shown in the reader's language.

The data each kind carries (all keys optional unless marked):

=====================  ==========================================================================
proposed               run (id), score
rescored               run, score, previous_score
superseded             run, cause (a matching Cause), blocking_city, replaced_by (the better pair's
                       city ids, when the cause is "displaced": "replaced by a better pair")
approved               score, invitable
waiting_for_contact    cities (ids of the cities with nobody to invite)
contact_found          city (whose contact made the pair reachable)
approval_expired       cities (those still without a contact)
moved_back, reopened   from (the state left), note
rejected               reason
themes_edited          before, after (theme ids)
consent_requested      person, city
agreement_recorded     agreement (id), kind
activity_recorded      activity (id), title
partnership_formed     proposal (on the partnership); nothing on the proposal
status_changed         from, to, note
outcome_updated        changed (field names)
invitations_created    people: [[person name, city id], ...]
no_contact             city
invitation_expired     person, city
invitation_cancelled   person
invitation_resent      person
city_accepted          city (the acting contact: ``person``)
city_declined          city, reason
check_in               after_days, progress, activities, outcomes, city
=====================  ==========================================================================

A row written before the timeline stored data (migration 0008) may carry only ``text``: the message
it was written with, shown as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from cities.models import City, Theme
from travelsouth.i18n import localized

from .models import Partnership, Proposal, TimelineEvent

Kind = TimelineEvent.Kind


@dataclass
class TimelineEntry:
    """One row to write: ``by`` a staff member, or ``person`` (a name) acting for ``data["city"]``, or
    neither (Travel South itself)."""

    kind: str
    proposal_id: int | None = None
    partnership_id: int | None = None
    by: AbstractBaseUser | None = None
    person: str = ""
    data: dict = field(default_factory=dict)
    at: dt.datetime | None = None


def _row(entry: TimelineEntry, now: dt.datetime) -> TimelineEvent:
    if entry.kind not in Kind.values:
        raise ValueError(f"Not a timeline kind: {entry.kind}")
    if entry.proposal_id is None and entry.partnership_id is None:
        raise ValueError("A timeline entry belongs to a proposal or a partnership.")
    return TimelineEvent(
        proposal_id=entry.proposal_id,
        partnership_id=entry.partnership_id,
        at=entry.at or now,
        actor=entry.by,
        actor_label=_name_of(entry.by) or entry.person,
        kind=entry.kind,
        data=entry.data,
    )


def timeline_record(
    *,
    kind: str,
    proposal: Proposal | None = None,
    partnership: Partnership | None = None,
    by: AbstractBaseUser | None = None,
    person: str = "",
    data: dict | None = None,
    at: dt.datetime | None = None,
) -> TimelineEvent:
    """Record one event on a proposal and/or a partnership (inside the caller's transaction)."""
    event = _row(
        TimelineEntry(
            kind=kind,
            proposal_id=proposal.pk if proposal is not None else None,
            partnership_id=partnership.pk if partnership is not None else None,
            by=by,
            person=person,
            data=data or {},
            at=at,
        ),
        timezone.now(),
    )
    event.full_clean(exclude=["proposal", "partnership", "actor"])
    event.save()
    return event


def timeline_record_many(entries: Iterable[TimelineEntry]) -> list[TimelineEvent]:
    """Record many events at once (a matching run's proposals, the beat's expiries): one insert per
    thousand rows."""
    now = timezone.now()
    return TimelineEvent.objects.bulk_create([_row(entry, now) for entry in entries], batch_size=1000)


def _name_of(user: AbstractBaseUser | None) -> str:
    """How a user is named in a timeline: full name, else username (kept if the account goes)."""
    if user is None:
        return ""
    return (user.get_full_name() if hasattr(user, "get_full_name") else "") or user.get_username()


# --- Reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineLine:
    at: dt.datetime
    who: str
    what: str
    text: str


class _Names:
    """City and theme names of a batch of events, in the reader's language, loaded in two queries."""

    def __init__(self, events: Sequence[TimelineEvent]) -> None:
        city_ids: set[int] = set()
        theme_ids: set[int] = set()
        for event in events:
            data = event.data or {}
            for key in ("city", "blocking_city"):
                if isinstance(data.get(key), int):
                    city_ids.add(data[key])
            city_ids.update(value for value in data.get("cities", ()) if isinstance(value, int))
            city_ids.update(
                pair[1] for pair in data.get("people", ()) if len(pair) == 2 and isinstance(pair[1], int)
            )
            if event.kind == Kind.THEMES_EDITED:
                for key in ("before", "after"):
                    theme_ids.update(value for value in data.get(key, ()) if isinstance(value, int))
        self.cities = City.objects.in_bulk(city_ids) if city_ids else {}
        self.themes = Theme.objects.in_bulk(theme_ids) if theme_ids else {}

    def city(self, city_id) -> str:
        city = self.cities.get(city_id)
        return localized(city, "name") if city is not None else "?"

    def cities_list(self, city_ids) -> str:
        return _joined(self.city(city_id) for city_id in city_ids)

    def themes_list(self, values) -> str:
        # Rows migrated from the message era may hold theme names instead of ids.
        names = [
            localized(self.themes[value], "name") if value in self.themes else str(value) for value in values
        ]
        return _joined(sorted(names))


def _joined(items) -> str:
    # Chinese lists items with 、 rather than a comma.
    return pgettext("separator between the items of a list", ", ").join(items) or "-"


def _score(value) -> str:
    return f"{value or 0:g}"


def _who(event: TimelineEvent, names: _Names) -> str:
    data = event.data or {}
    if event.actor_label and data.get("city") and event.actor_id is None:
        return gettext("%(person)s (%(city)s)") % {
            "person": event.actor_label,
            "city": names.city(data["city"]),
        }
    if event.actor_label:
        return event.actor_label
    if event.actor is not None:
        return _name_of(event.actor)
    return gettext("Travel South")


def _sentence(event: TimelineEvent, names: _Names, who: str) -> str:
    from .matching.explanations import describe_cause

    data = event.data or {}
    kind = event.kind
    if kind == Kind.PROPOSED:
        return gettext("Proposed by matching run #%(run)s with score %(score)s.") % {
            "run": data.get("run"),
            "score": _score(data.get("score")),
        }
    if kind == Kind.RESCORED:
        return gettext("Rescored by matching run #%(run)s: %(before)s → %(after)s.") % {
            "run": data.get("run"),
            "before": _score(data.get("previous_score")),
            "after": _score(data.get("score")),
        }
    if kind == Kind.SUPERSEDED and data.get("cause"):
        return gettext("Superseded by matching run #%(run)s: %(cause)s.") % {
            "run": data.get("run"),
            "cause": describe_cause(
                data["cause"], blocking_city=data.get("blocking_city"), pair=data.get("replaced_by")
            ),
        }
    if kind == Kind.APPROVED:
        return gettext("Approved by %(who)s.") % {"who": who}
    if kind == Kind.REJECTED:
        return gettext("Rejected by %(who)s: %(reason)s") % {"who": who, "reason": data.get("reason", "")}
    if kind == Kind.THEMES_EDITED:
        return gettext("Themes changed by %(who)s: %(before)s → %(after)s.") % {
            "who": who,
            "before": names.themes_list(data.get("before", [])),
            "after": names.themes_list(data.get("after", [])),
        }
    if kind == Kind.WAITING_FOR_CONTACT:
        return gettext(
            "Approved, waiting for a contact of %(cities)s: nobody there has agreed to be contacted yet. "
            "The cities are invited as soon as someone does."
        ) % {"cities": names.cities_list(data.get("cities", []))}
    if kind == Kind.CONTACT_FOUND:
        return gettext("A contact of %(city)s agreed to be contacted: both cities are now invited.") % {
            "city": names.city(data.get("city"))
        }
    if kind == Kind.APPROVAL_EXPIRED:
        return gettext("The approval expired: still nobody to invite in %(cities)s.") % {
            "cities": names.cities_list(data.get("cities", []))
        }
    if kind in (Kind.MOVED_BACK, Kind.REOPENED):
        labels = dict(Proposal.Status.choices)
        template = (
            gettext("Moved back to review by %(who)s (it was “%(before)s”).")
            if kind == Kind.MOVED_BACK
            else gettext("Reopened for review by %(who)s (it was “%(before)s”).")
        )
        text = template % {"who": who, "before": labels.get(data.get("from"), data.get("from"))}
        return f"{text} {data['note']}" if data.get("note") else text
    if kind == Kind.CONSENT_REQUESTED:
        return gettext("%(who)s asked %(person)s (%(city)s) to agree to be contacted.") % {
            "who": who,
            "person": data.get("person", "?"),
            "city": names.city(data.get("city")),
        }
    if kind == Kind.AGREEMENT_RECORDED:
        from .models import Agreement

        return gettext("%(who)s recorded an agreement: %(kind)s.") % {
            "who": who,
            "kind": dict(Agreement.Kind.choices).get(data.get("kind"), data.get("kind")),
        }
    if kind == Kind.ACTIVITY_RECORDED:
        return gettext("%(who)s recorded a joint activity: %(title)s.") % {
            "who": who,
            "title": data.get("title", ""),
        }
    if kind == Kind.STATUS_CHANGED:
        labels = dict(Partnership.Status.choices)
        text = gettext("Status changed by %(who)s: %(before)s → %(after)s.") % {
            "who": who,
            "before": labels.get(data.get("from"), data.get("from")),
            "after": labels.get(data.get("to"), data.get("to")),
        }
        return f"{text} {data['note']}" if data.get("note") else text
    if kind == Kind.OUTCOME_UPDATED:
        return gettext("Outcome updated by %(who)s.") % {"who": who}
    if kind == Kind.PARTNERSHIP_FORMED:
        if event.partnership_id is not None:
            return gettext("Partnership formed.")
        return gettext("Both cities accepted: the partnership is formed.")
    if kind == Kind.INVITATIONS_CREATED:
        people = [
            gettext("%(person)s (%(city)s)") % {"person": person, "city": names.city(city_id)}
            for person, city_id in data.get("people", [])
        ]
        return gettext("Invited: %(people)s.") % {"people": _joined(people)}
    if kind == Kind.NO_CONTACT:
        return gettext("%(city)s has nobody who agreed to be contacted: this city was not invited.") % {
            "city": names.city(data.get("city"))
        }
    if kind == Kind.INVITATION_EXPIRED:
        return gettext("%(person)s (%(city)s) did not answer; the invitation expired.") % {
            "person": data.get("person", "?"),
            "city": names.city(data.get("city")),
        }
    if kind == Kind.INVITATION_CANCELLED:
        return gettext("Invitation to %(person)s cancelled by %(who)s.") % {
            "person": data.get("person"),
            "who": who,
        }
    if kind == Kind.INVITATION_RESENT:
        return gettext("Invitation to %(person)s sent again by %(who)s.") % {
            "person": data.get("person"),
            "who": who,
        }
    if kind == Kind.CITY_ACCEPTED:
        return gettext("%(city)s accepted the proposal.") % {"city": names.city(data.get("city"))}
    if kind == Kind.CITY_DECLINED:
        if data.get("reason"):
            return gettext("%(city)s declined: %(reason)s") % {
                "city": names.city(data.get("city")),
                "reason": data["reason"],
            }
        return gettext("%(city)s declined without giving a reason.") % {"city": names.city(data.get("city"))}
    if kind == Kind.CHECK_IN:
        if "still_active" in data:
            text = gettext("Check-in after %(days)s days: %(state)s.") % {
                "days": data.get("after_days"),
                "state": gettext("still active") if data["still_active"] else gettext("no longer active"),
            }
            help_needed = (
                (gettext("Help needed: %(help)s") % {"help": data["help_needed"]})
                if data.get("help_needed")
                else ""
            )
            return " ".join(part for part in (text, data.get("what_happened", ""), help_needed) if part)
        # Check-ins answered before they asked "still active?" (their progress, and outcomes).
        from .models import CheckInProgress

        progress = dict(CheckInProgress.choices).get(data.get("progress"), data.get("progress", ""))
        text = gettext("Check-in after %(days)s days: %(progress)s") % {
            "days": data.get("after_days"),
            "progress": progress,
        }
        return " ".join(part for part in (text, data.get("outcomes", "")) if part)
    return data.get("text", "")


def timeline_entries(events: Iterable[TimelineEvent]) -> list[TimelineLine]:
    """The events as lines to show, in the active language: when, who, what, and the sentence.
    Two queries for the names, whatever the number of events."""
    events = list(events)
    names = _Names(events)
    lines = []
    for event in events:
        who = _who(event, names)
        lines.append(
            TimelineLine(
                at=event.at, who=who, what=event.get_kind_display(), text=_sentence(event, names, who)
            )
        )
    return lines
