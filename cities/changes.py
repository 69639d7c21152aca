"""The one change hook: what matching reads about a city changed.

Every service that changes what matching reads about a city (its interest, its survey answers, its
good practices, its contacts and their consent, its approval, its country or languages) calls
``city_changed(city_id=...)``; nothing else schedules a refresh. Partnerships connects the receiver
(``partnerships.matching.runs.schedule_city_proposals_refresh``) in its ``AppConfig.ready()``: the
city's proposals and its entries in the matching index are recomputed after the transaction commits.

``matching_vocabulary_changed()`` is the same for a change that moves many cities at once (the
themes a development priority covers, a country's regions): the whole matching index is rebuilt.

The other hooks of cities tell the apps above it about people: a withdrawn consent (what waits to be
sent to the person is cancelled in the same transaction) and a staff decision on a membership request
(the decision e-mail is written to the outbox in the same transaction).
"""

from __future__ import annotations

from travelsouth.hooks import Hook

city_data_changed = Hook(
    "city_data_changed",
    "Called with ``city_id`` by city_changed(); receivers schedule work after commit.",
)
vocabulary_changed = Hook(
    "vocabulary_changed",
    "Called by matching_vocabulary_changed(); receivers schedule work after commit.",
)
consent_withdrawn = Hook(
    "consent_withdrawn",
    "Called with ``person`` and ``at`` inside person_consent_withdraw's transaction.",
)
membership_decided = Hook(
    "membership_decided",
    "Called with ``membership`` (approved or rejected) inside the deciding transaction.",
)


def city_changed(*, city_id: int | None) -> None:
    """What matching reads about ``city_id`` changed: its proposals are refreshed after commit (at
    once when there is no transaction). ``None`` (a practice of an organisation) does nothing."""
    if city_id is not None:
        city_data_changed.send(city_id=city_id)


def matching_vocabulary_changed() -> None:
    """A change that moves many cities between matching's buckets at once: the index is rebuilt after
    commit."""
    vocabulary_changed.send()
