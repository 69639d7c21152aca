"""The lifecycle of proposals and partnerships: every change of their state is made here.

A proposal is a pair of cities the matching proposed. It moves only through the functions below, each
a conditional ``UPDATE ... WHERE status IN (<states the event may start from>)``, so two actors (two
staff members, a staff member and a run, two cities answering) can never both win; the loser gets
ProposalStateError (or, for a city's answer, InvitationClosed). Each move writes its timeline entry
(partnerships/timeline.py) in the same transaction. docs/architecture.md carries the same table.

Proposals (state x event -> state; "-" means the event is refused in that state):

===============  =======  ==========  ========  ========  ========  ========  ========  ==========  =======  ==============
event            (none)   pending     waiting   approved  accepted  declined  rejected  superseded  expired  by
===============  =======  ==========  ========  ========  ========  ========  ========  ==========  =======  ==============
propose          pending  -           -         -         -         -         -         -           -        a run
rescore          -        pending     -         -         -         -         -         -           -        a run
supersede        -        superseded  -         -         -         -         -         -           -        a run
approve          -        approved    -         -         -         -         -         -           -        staff
approve_waiting  -        waiting     -         -         -         -         -         -           -        staff
contact_found    -        -           approved  -         -         -         -         -           -        a contact
expire           -        -           expired   -         -         -         -         -           -        the beat
move_back        -        -           pending   pending   -         -         -         -           -        staff
reopen           -        -           -         -         -         pending   pending   pending     pending  staff
reject           -        rejected    -         -         -         -         -         -           -        staff
edit_themes      -        pending     waiting   approved  -         -         -         -           -        staff
city_accepts     -        -           -         approved  -         -         -         -           -        a city
both_accepted    -        -           -         accepted  -         -         -         -           -        -> partnership
city_declines    -        -           -         declined  -         -         -         -           -        a city
===============  =======  ==========  ========  ========  ========  ========  ========  ==========  =======  ==============

"approve" is "approve_waiting" when a city has nobody to invite yet: the approval then waits, and the
cities are invited the moment a contact consents ("contact_found"); after the staff-set days without
one it expires. Moving an approval back, or reopening a closed proposal, starts a new approval round:
its introductions are fresh and earlier answers no longer count. No state is a dead end for staff.

Partnerships: formed (active) when both cities accepted; then status changes along
``PARTNERSHIP_TRANSITIONS`` (closed is final) and outcome updates, both by staff.

Side effects are listed on each function; invitations (introductions, notices, check-ins) are written
through partnerships/invitations/services.py in the same transaction and queued after it commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City, Theme
from travelsouth.queueing import queue_after_commit, run_here

from .invitations.selectors import city_contacts
from .invitations.services import (
    InvitationClosed,
    check_ins_create,
    city_answer,
    introductions_close,
    introductions_of,
    invitation_answer_record,
    invitations_create_for_proposal,
    notices_create,
)
from .models import Invitation, MatchingRun, Partnership, Proposal, TimelineEvent
from .timeline import TimelineEntry, timeline_record, timeline_record_many

Status = Proposal.Status
Kind = TimelineEvent.Kind

# Events of a proposal.
PROPOSE = "propose"
RESCORE = "rescore"
SUPERSEDE = "supersede"
APPROVE = "approve"
APPROVE_WAITING = "approve_waiting"
CONTACT_FOUND = "contact_found"
EXPIRE = "expire"
MOVE_BACK = "move_back"
REOPEN = "reopen"
REJECT = "reject"
EDIT_THEMES = "edit_themes"
CITY_ACCEPTS = "city_accepts"
BOTH_ACCEPTED = "both_accepted"
CITY_DECLINES = "city_declines"

CLOSED_STATUSES = frozenset({Status.DECLINED, Status.REJECTED, Status.SUPERSEDED, Status.EXPIRED})

# event -> (the states it may start from, the state it leads to; None: the state stays as it is).
PROPOSAL_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    PROPOSE: (frozenset(), Status.PENDING),
    RESCORE: (frozenset({Status.PENDING}), None),
    SUPERSEDE: (frozenset({Status.PENDING}), Status.SUPERSEDED),
    APPROVE: (frozenset({Status.PENDING}), Status.APPROVED),
    APPROVE_WAITING: (frozenset({Status.PENDING}), Status.WAITING),
    CONTACT_FOUND: (frozenset({Status.WAITING}), Status.APPROVED),
    EXPIRE: (frozenset({Status.WAITING}), Status.EXPIRED),
    MOVE_BACK: (frozenset({Status.WAITING, Status.APPROVED}), Status.PENDING),
    REOPEN: (CLOSED_STATUSES, Status.PENDING),
    REJECT: (frozenset({Status.PENDING}), Status.REJECTED),
    EDIT_THEMES: (frozenset({Status.PENDING, Status.WAITING, Status.APPROVED}), None),
    CITY_ACCEPTS: (frozenset({Status.APPROVED}), None),
    BOTH_ACCEPTED: (frozenset({Status.APPROVED}), Status.ACCEPTED),
    CITY_DECLINES: (frozenset({Status.APPROVED}), Status.DECLINED),
}

PARTNERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    Partnership.Status.ACTIVE: frozenset(
        {Partnership.Status.MOU_SIGNED, Partnership.Status.DORMANT, Partnership.Status.CLOSED}
    ),
    Partnership.Status.MOU_SIGNED: frozenset(
        {Partnership.Status.ACTIVE, Partnership.Status.DORMANT, Partnership.Status.CLOSED}
    ),
    Partnership.Status.DORMANT: frozenset(
        {Partnership.Status.ACTIVE, Partnership.Status.MOU_SIGNED, Partnership.Status.CLOSED}
    ),
    Partnership.Status.CLOSED: frozenset(),
}

_REFUSALS = {
    APPROVE: _("This proposal is no longer awaiting review."),
    REJECT: _("This proposal is no longer awaiting review."),
    EDIT_THEMES: _("Only open proposals can have their themes changed."),
    MOVE_BACK: _("Only an approved proposal can be moved back to review."),
    REOPEN: _("Only a closed proposal (rejected, declined, superseded or expired) can be reopened."),
}


class ProposalStateError(ValidationError):
    """The proposal is no longer in the state the action needs (someone else acted first)."""


def next_state(status: str, event: str) -> str | None:
    """The state ``event`` leads to from ``status``, or None when the event is refused there."""
    sources, target = PROPOSAL_TRANSITIONS[event]
    if status not in sources:
        return None
    return target or status


def _move(proposal_id: int, event: str, *, now: dt.datetime, **values) -> bool:
    """The conditional update behind every move: True if the proposal was in a state ``event`` may
    start from (and is now in the state it leads to)."""
    sources, target = PROPOSAL_TRANSITIONS[event]
    if target is not None:
        values["status"] = target
    return bool(Proposal.objects.filter(pk=proposal_id, status__in=sources).update(updated_at=now, **values))


def _refuse(event: str, code: str = "wrong_state") -> ProposalStateError:
    return ProposalStateError(_REFUSALS.get(event, _("This proposal is no longer open.")), code=code)


# --- Runs: proposing, rescoring and superseding, in batches --------------------------------------


@dataclass
class NewProposal:
    """A pair a run proposes, with its score, stored reasons and themes."""

    city_a: int
    city_b: int
    score: float
    reasons: list[dict]
    themes: Iterable[int]
    is_triangular: bool
    is_invitable: bool


@dataclass
class Rescoring:
    """A proposal awaiting review that a run scored again."""

    proposal_id: int
    score: float
    previous_score: float
    reasons: list[dict]
    is_triangular: bool
    is_invitable: bool
    themes: Iterable[int] | None  # None: the themes stay (unchanged, or edited by staff)


def proposals_propose(*, run: MatchingRun, new: list[NewProposal], now: dt.datetime) -> int:
    """(none) -> pending, for each pair of a run's result that has no open proposal (the caller holds
    the matching lock and read the open proposals under it). A timeline entry each. Returns how many.

    Written a slice at a time, so that a run at 100,000 cities never holds a model instance for each
    of its proposals, their theme links and their timeline entries at once."""
    through = Proposal.themes.through
    for start in range(0, len(new), _PROPOSE_SLICE):
        pairs = new[start : start + _PROPOSE_SLICE]
        created = Proposal.objects.bulk_create(
            [
                Proposal(
                    city_a_id=pair.city_a,
                    city_b_id=pair.city_b,
                    score=pair.score,
                    reasons=pair.reasons,
                    is_triangular=pair.is_triangular,
                    is_invitable=pair.is_invitable,
                    run=run,
                    last_run=run,
                )
                for pair in pairs
            ],
            batch_size=500,
        )
        through.objects.bulk_create(
            [
                through(proposal_id=proposal.pk, theme_id=theme)
                for proposal, pair in zip(created, pairs, strict=True)
                for theme in sorted(pair.themes)
            ],
            batch_size=1000,
        )
        timeline_record_many(
            TimelineEntry(
                kind=Kind.PROPOSED,
                proposal_id=proposal.pk,
                data={"run": run.pk, "score": proposal.score},
                at=now,
            )
            for proposal in created
        )
    return len(new)


_PROPOSE_SLICE = 2000


def _still_in(ids: Iterable[int], event: str) -> set[int]:
    """The proposals among ``ids`` that ``event`` may still move. A run calls this holding the matching
    lock, with the open proposals locked (select_for_update), so nobody can move them before its
    write: the check and the write are one step, as a conditional update would be."""
    sources, _target = PROPOSAL_TRANSITIONS[event]
    return set(Proposal.objects.filter(pk__in=sorted(ids), status__in=sources).values_list("pk", flat=True))


def proposals_rescore(*, run: MatchingRun, rescorings: list[Rescoring], now: dt.datetime) -> int:
    """pending -> pending with a new score, reasons and (unless staff edited them) themes. Only rows
    still awaiting review change. Returns how many did."""
    pending = _still_in((rescoring.proposal_id for rescoring in rescorings), RESCORE)
    changed = [rescoring for rescoring in rescorings if rescoring.proposal_id in pending]
    Proposal.objects.bulk_update(
        [
            Proposal(
                id=rescoring.proposal_id,
                score=rescoring.score,
                reasons=rescoring.reasons,
                is_triangular=rescoring.is_triangular,
                is_invitable=rescoring.is_invitable,
                last_run=run,
                updated_at=now,
            )
            for rescoring in changed
        ],
        ["score", "reasons", "is_triangular", "is_invitable", "last_run", "updated_at"],
        batch_size=500,
    )
    through = Proposal.themes.through
    retheme = [rescoring for rescoring in changed if rescoring.themes is not None]
    through.objects.filter(proposal_id__in=[rescoring.proposal_id for rescoring in retheme]).delete()
    through.objects.bulk_create(
        [
            through(proposal_id=rescoring.proposal_id, theme_id=theme)
            for rescoring in retheme
            for theme in sorted(rescoring.themes)
        ],
        batch_size=1000,
    )
    timeline_record_many(
        TimelineEntry(
            kind=Kind.RESCORED,
            proposal_id=rescoring.proposal_id,
            data={"run": run.pk, "score": rescoring.score, "previous_score": rescoring.previous_score},
            at=now,
        )
        for rescoring in changed
    )
    return len(changed)


def proposals_supersede(*, run: MatchingRun, causes: Mapping[int, dict], now: dt.datetime) -> int:
    """pending -> superseded: a run no longer keeps these proposals. ``causes`` maps each proposal id
    to why (``cause``; ``blocking_city`` where a city's cap is the reason; ``replaced_by``, the better
    pair's city ids, when it was displaced: "replaced by a better pair"). One conditional update;
    proposals decided meanwhile are left alone. Returns how many were superseded."""
    superseded = _still_in(causes, SUPERSEDE)
    count = Proposal.objects.filter(
        pk__in=sorted(superseded), status__in=PROPOSAL_TRANSITIONS[SUPERSEDE][0]
    ).update(status=Status.SUPERSEDED, decided_at=now, last_run=run, updated_at=now)
    timeline_record_many(
        TimelineEntry(
            kind=Kind.SUPERSEDED, proposal_id=proposal_id, data={"run": run.pk, **causes[proposal_id]}, at=now
        )
        for proposal_id in sorted(superseded)
    )
    return count


# --- Staff's decisions ------------------------------------------------------------------------------


def unreachable_cities(proposal: Proposal) -> list[City]:
    """The proposal's cities that have nobody to invite (no contact who agreed to be contacted)."""
    return [city for city in (proposal.city_a, proposal.city_b) if not city_contacts(city=city).exists()]


@transaction.atomic
def proposal_approve(*, proposal: Proposal, by: AbstractBaseUser | None) -> Proposal:
    """Staff approve a proposal awaiting review. When both cities have a contact who agreed to be
    contacted: pending -> approved, and they are invited. Otherwise: pending -> waiting ("approved,
    waiting for a contact of <city>"); the cities are invited, with no further staff action, the
    moment the missing side has a contact (``proposals_invite_waiting``).

    Raises ProposalStateError (a ValidationError) when the proposal is no longer awaiting review.

    Side effects: timeline entries in the staff member's name; when both sides are reachable, one
    introduction per consenting contact of each city (``invitations_create_for_proposal``), written in
    this transaction and queued after it commits, so nothing is sent unless the approval commits.
    """
    now = timezone.now()
    proposal = Proposal.objects.select_related("city_a", "city_b").get(pk=proposal.pk)
    missing = unreachable_cities(proposal)
    event = APPROVE_WAITING if missing else APPROVE
    if not _move(proposal.pk, event, now=now, decided_by=by, decided_at=now):
        raise _refuse(APPROVE, "not_pending")
    proposal.refresh_from_db()
    timeline_record(
        proposal=proposal,
        kind=Kind.APPROVED,
        by=by,
        at=now,
        data={"score": proposal.score, "invitable": not missing},
    )
    if missing:
        timeline_record(
            proposal=proposal,
            kind=Kind.WAITING_FOR_CONTACT,
            at=now,
            data={"cities": [city.pk for city in missing]},
        )
    else:
        invitations_create_for_proposal(proposal=proposal, now=now)
    return proposal


def proposals_invite_waiting(*, city_id: int) -> list[Proposal]:
    """A contact of ``city_id`` may have become reachable (consent, an address, a new official): every
    approval of the city waiting for a contact whose two cities now both have one moves waiting ->
    approved, and both cities are invited. Run after the change commits (the change hook's second
    receiver, ``partnerships.invite_waiting_approvals`` task). Safe to run twice."""
    moved = []
    waiting = Proposal.objects.filter(
        Q(city_a_id=city_id) | Q(city_b_id=city_id), status=Status.WAITING
    ).select_related("city_a", "city_b")
    for proposal in waiting:
        with transaction.atomic():
            if unreachable_cities(proposal):
                continue
            now = timezone.now()
            if not _move(proposal.pk, CONTACT_FOUND, now=now):
                continue
            proposal.refresh_from_db()
            timeline_record(proposal=proposal, kind=Kind.CONTACT_FOUND, at=now, data={"city": city_id})
            invitations_create_for_proposal(proposal=proposal, now=now)
            moved.append(proposal)
    return moved


def schedule_waiting_approvals_check(*, city_id: int) -> None:
    """The change hook's second receiver: after commit, a city whose contacts may have changed gets its
    waiting approvals looked at (``partnerships.invite_waiting_approvals``)."""
    from .tasks import invite_waiting_approvals

    if Proposal.objects.filter(Q(city_a_id=city_id) | Q(city_b_id=city_id), status=Status.WAITING).exists():
        # With the broker down it runs here: nothing else would look at the waiting approvals again
        # until the city changes next.
        queue_after_commit(
            invite_waiting_approvals, if_broker_down=run_here(invite_waiting_approvals), city_id=city_id
        )


@transaction.atomic
def approvals_expire(*, now: dt.datetime | None = None) -> int:
    """waiting -> expired for approvals still without a contact after the staff-set days (the beat job).
    Staff can reopen an expired proposal. Side effects: a timeline entry each, naming the cities that
    had nobody to invite."""
    from .invitations.selectors import invitation_settings

    now = now or timezone.now()
    days = invitation_settings().waiting_approval_expire_days
    overdue = list(
        Proposal.objects.filter(status=Status.WAITING, decided_at__lte=now - dt.timedelta(days=days))
        .select_related("city_a", "city_b")
        .order_by("id")
    )
    expired = 0
    for proposal in overdue:
        missing = unreachable_cities(proposal)
        if _move(proposal.pk, EXPIRE, now=now):
            expired += 1
            timeline_record(
                proposal=proposal,
                kind=Kind.APPROVAL_EXPIRED,
                at=now,
                data={"cities": [city.pk for city in missing]},
            )
    return expired


@transaction.atomic
def proposal_move_back(*, proposal: Proposal, by: AbstractBaseUser, note: str = "") -> Proposal:
    """Staff take an approval back: waiting | approved -> awaiting review. Introductions still open are
    closed (nothing more is sent) and a new approval round starts, so earlier answers no longer count.

    Side effects: a timeline entry in the staff member's name, with the note.
    """
    now = timezone.now()
    current = Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True).first()
    if not _move(
        proposal.pk,
        MOVE_BACK,
        now=now,
        decided_by=None,
        decided_at=None,
        approval_round=F("approval_round") + 1,
    ):
        raise _refuse(MOVE_BACK, "not_approved")
    closing = Invitation.objects.filter(proposal=proposal, kind=Invitation.Kind.INTRODUCTION)
    introductions_close(closing, reason=Invitation.CloseReason.PROPOSAL_CLOSED, now=now)
    proposal.refresh_from_db()
    timeline_record(
        proposal=proposal, kind=Kind.MOVED_BACK, by=by, at=now, data={"from": current, "note": note.strip()}
    )
    return proposal


@transaction.atomic
def proposal_reopen(*, proposal: Proposal, by: AbstractBaseUser, note: str = "") -> Proposal:
    """Staff reopen a closed proposal (rejected, declined, superseded, expired) for review: -> awaiting
    review, in a new approval round. Refused while the pair has another open proposal.

    Side effects: a timeline entry in the staff member's name, with the note.
    """
    now = timezone.now()
    current = Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True).first()
    other = (
        Proposal.objects.filter(
            city_a_id=proposal.city_a_id, city_b_id=proposal.city_b_id, status__in=Proposal.OPEN_STATUSES
        )
        .exclude(pk=proposal.pk)
        .first()
    )
    if other is not None:
        raise ProposalStateError(
            _("This pair already has an open proposal (#%(id)s): review that one instead."),
            code="pair_open",
            params={"id": other.pk},
        )
    if not _move(
        proposal.pk,
        REOPEN,
        now=now,
        decided_by=None,
        decided_at=None,
        decision_reason="",
        approval_round=F("approval_round") + 1,
    ):
        raise _refuse(REOPEN, "not_closed")
    proposal.refresh_from_db()
    timeline_record(
        proposal=proposal, kind=Kind.REOPENED, by=by, at=now, data={"from": current, "note": note.strip()}
    )
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: Proposal, by: AbstractBaseUser, reason: str) -> Proposal:
    """pending -> rejected, with a reason (kept on the proposal and in the timeline). The pair is not
    proposed again during the cooling-off period (MatchingSettings).

    Side effects: a timeline entry in the staff member's name.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting this proposal.")}, code="required")
    now = timezone.now()
    if not _move(proposal.pk, REJECT, now=now, decided_by=by, decided_at=now, decision_reason=reason):
        raise _refuse(REJECT, "not_pending")
    proposal.refresh_from_db()
    timeline_record(proposal=proposal, kind=Kind.REJECTED, by=by, at=now, data={"reason": reason})
    return proposal


@transaction.atomic
def proposal_themes_update(*, proposal: Proposal, themes: Iterable[Theme], by: AbstractBaseUser) -> Proposal:
    """Set the themes proposed to the two cities (while the proposal is open). Later runs keep them.

    Side effects: a timeline entry in the staff member's name, with the themes before and after.
    """
    themes = sorted(set(themes), key=lambda theme: theme.pk)
    now = timezone.now()
    if not _move(proposal.pk, EDIT_THEMES, now=now, themes_edited=True):
        raise _refuse(EDIT_THEMES, "not_open")
    before = sorted(proposal.themes.values_list("pk", flat=True))
    proposal.themes.set(themes)
    proposal.refresh_from_db()
    timeline_record(
        proposal=proposal,
        kind=Kind.THEMES_EDITED,
        by=by,
        at=now,
        data={"before": before, "after": [theme.pk for theme in themes]},
    )
    return proposal


# --- The cities' answers ------------------------------------------------------------------------------


@transaction.atomic
def proposal_accept_by_city(*, proposal: Proposal, invitation: Invitation) -> Proposal:
    """``invitation``'s city accepts ``proposal`` (approved, stays approved). When the other city has
    accepted too, the partnership forms (``partnership_form``).

    Raises InvitationClosed when the proposal is no longer approved or the city already answered.
    Side effects: the answer recorded; the city's other introductions closed (a colleague answered);
    a timeline entry; ``partnership_form``'s side effects when both have accepted.
    """
    now = timezone.now()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if next_state(proposal.status, CITY_ACCEPTS) is None:
        raise InvitationClosed(Invitation.CloseReason.PROPOSAL_CLOSED)
    city = invitation.city
    if city_answer(proposal=proposal, city=city):
        raise InvitationClosed(Invitation.CloseReason.CITY_ANSWERED)
    invitation_answer_record(invitation, answer=Invitation.Answer.ACCEPTED, now=now)
    colleagues = introductions_of(proposal).filter(city=city).exclude(pk=invitation.pk)
    introductions_close(colleagues, reason=Invitation.CloseReason.CITY_ANSWERED, now=now)
    _move(proposal.pk, CITY_ACCEPTS, now=now)
    timeline_record(
        proposal=proposal,
        kind=Kind.CITY_ACCEPTED,
        person=invitation.person.full_name,
        at=now,
        data={"invitation": invitation.pk, "city": city.pk},
    )
    other_city = proposal.city_b if city.pk == proposal.city_a_id else proposal.city_a
    if city_answer(proposal=proposal, city=other_city) == Invitation.Answer.ACCEPTED:
        partnership_form(proposal=proposal)
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def proposal_decline_by_city(*, proposal: Proposal, invitation: Invitation, reason: str = "") -> Proposal:
    """``invitation``'s city declines ``proposal``: approved -> declined, closed for everyone.

    Side effects: a timeline entry with the city's reason (for staff only); every open invitation and
    reminder of the proposal is closed; the other city's invited contacts get a polite notice after
    commit (the reason is not passed on).
    """
    now = timezone.now()
    if not _move(proposal.pk, CITY_DECLINES, now=now):
        raise InvitationClosed(Invitation.CloseReason.PROPOSAL_CLOSED)
    city = invitation.city
    invitation_answer_record(invitation, answer=Invitation.Answer.DECLINED, note=reason, now=now)
    introductions = introductions_of(proposal)
    introductions_close(
        introductions.exclude(pk=invitation.pk), reason=Invitation.CloseReason.PROPOSAL_CLOSED, now=now
    )
    timeline_record(
        proposal=proposal,
        kind=Kind.CITY_DECLINED,
        person=invitation.person.full_name,
        at=now,
        data={"invitation": invitation.pk, "city": city.pk, "reason": reason},
    )
    other_city_id = proposal.city_b_id if city.pk == proposal.city_a_id else proposal.city_a_id
    told = introductions.filter(city_id=other_city_id, sent_at__isnull=False).select_related("person")
    notices_create(
        kind=Invitation.Kind.PROPOSAL_DECLINED,
        proposal=proposal,
        recipients=[(other.person, other_city_id) for other in told],
        now=now,
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def partnership_form(*, proposal: Proposal) -> Partnership:
    """Both cities accepted: approved -> accepted, and the partnership is formed (active) with the
    proposal's themes. Returns the partnership already formed, if it was.

    Side effects: timeline entries on both; a notice to each city's accepting contact (queued after
    commit) introducing the other; the check-ins scheduled as due rows for the beat job.
    """
    existing = Partnership.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    now = timezone.now()
    accepted = introductions_of(proposal).filter(answer=Invitation.Answer.ACCEPTED).select_related("person")
    accepting = {invitation.city_id: invitation for invitation in accepted}
    if set(accepting) != {proposal.city_a_id, proposal.city_b_id}:
        raise InvitationClosed("not_both_accepted")
    if not _move(proposal.pk, BOTH_ACCEPTED, now=now):
        raise InvitationClosed(Invitation.CloseReason.PROPOSAL_CLOSED)
    partnership = Partnership(
        proposal=proposal, city_a_id=proposal.city_a_id, city_b_id=proposal.city_b_id, formed_at=now
    )
    partnership.full_clean(exclude=["proposal"])
    partnership.save()
    partnership.themes.set(proposal.themes.all())
    timeline_record(
        partnership=partnership, kind=Kind.PARTNERSHIP_FORMED, at=now, data={"proposal": proposal.pk}
    )
    timeline_record(proposal=proposal, kind=Kind.PARTNERSHIP_FORMED, at=now)
    people = [(invitation.person, city_id) for city_id, invitation in accepting.items()]
    notices_create(
        kind=Invitation.Kind.PARTNERSHIP_FORMED,
        proposal=proposal,
        partnership=partnership,
        recipients=people,
        now=now,
    )
    check_ins_create(partnership=partnership, people=[person for person, _ in people])
    return partnership


# --- Partnerships: outcomes -----------------------------------------------------------------------------


@transaction.atomic
def partnership_status_change(
    *, partnership: Partnership, status: str, by: AbstractBaseUser, note: str = ""
) -> Partnership:
    """Move a partnership to ``status`` along PARTNERSHIP_TRANSITIONS (closed is final).

    Side effects: a timeline entry in the staff member's name, with the note.
    """
    current = partnership.status
    if status not in PARTNERSHIP_TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            {
                "status": ValidationError(
                    _("A partnership cannot go from “%(current)s” to “%(status)s”."),
                    code="invalid_transition",
                    params={"current": current, "status": status},
                )
            }
        )
    now = timezone.now()
    if not Partnership.objects.filter(pk=partnership.pk, status=current).update(
        status=status, updated_at=now
    ):
        raise ProposalStateError(_("The partnership changed meanwhile; reload and try again."), code="stale")
    partnership.refresh_from_db()
    timeline_record(
        partnership=partnership,
        kind=Kind.STATUS_CHANGED,
        by=by,
        at=now,
        data={"from": current, "to": status, "note": note.strip()},
    )
    return partnership


@transaction.atomic
def partnership_outcome_update(
    *, partnership: Partnership, outcome_notes: str, by: AbstractBaseUser
) -> Partnership:
    """Record the staff's notes on what the partnership achieved (agreements, activities and check-ins
    are recorded by partnerships/outcomes.py).

    Side effects: a timeline entry in the staff member's name when anything changed.
    """
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if partnership.outcome_notes == outcome_notes:
        return partnership
    changed = ["outcome_notes"]
    partnership.outcome_notes = outcome_notes
    partnership.full_clean(exclude=["proposal"])
    partnership.save(update_fields=[*changed, "updated_at"])
    timeline_record(partnership=partnership, kind=Kind.OUTCOME_UPDATED, by=by, data={"changed": changed})
    return partnership
