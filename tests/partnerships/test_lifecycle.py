"""The lifecycle of proposals and partnerships: every allowed transition and every refused one, through
the functions of partnerships/lifecycle.py, and the table its docstring shows is the one it enforces."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cities.services import person_consent_withdraw
from partnerships import lifecycle
from partnerships.invitations.services import InvitationClosed
from partnerships.lifecycle import (
    PARTNERSHIP_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    NewProposal,
    Rescoring,
    next_state,
)
from partnerships.matching.runs import matching_run_create
from partnerships.models import Invitation, Partnership, Proposal
from tests import factories

from .invitations import builders

pytestmark = pytest.mark.django_db

Status = Proposal.Status
STATES = [status.value for status in Status]


def _in_state(status: str):
    """A proposal of Morelia and Luoyang in ``status``, each city with a contact whose introduction was
    sent (answered "accepted" where the state says both cities accepted)."""
    proposal, spanish, chinese = builders.proposal_with_contacts()
    Proposal.objects.filter(pk=proposal.pk).update(status=status, decided_at=timezone.now())
    now = timezone.now()
    introductions = {}
    for person in (spanish, chinese):
        introductions[person.city_id] = Invitation.objects.create(
            kind=Invitation.Kind.INTRODUCTION,
            person=person,
            city_id=person.city_id,
            proposal=proposal,
            proposal_round=proposal.approval_round,
            due_at=now,
            status=Invitation.Status.SENT,
            sent_at=now,
        )
    proposal.refresh_from_db()
    return proposal, introductions


def _attempt(event: str, proposal: Proposal, introductions: dict) -> None:
    """Fire ``event`` at ``proposal`` through its lifecycle function; raise when it is refused."""
    staff = factories.user()
    run = matching_run_create(trigger="test")
    now = timezone.now()
    first, second = (introductions[proposal.city_a_id], introductions[proposal.city_b_id])
    if event == lifecycle.RESCORE:
        moved = lifecycle.proposals_rescore(
            run=run,
            rescorings=[
                Rescoring(proposal.pk, 9.0, proposal.score, [], False, True, themes=None),
            ],
            now=now,
        )
        if not moved:
            raise lifecycle.ProposalStateError("refused")
    elif event == lifecycle.SUPERSEDE:
        if not lifecycle.proposals_supersede(run=run, causes={proposal.pk: {"cause": "no_basis"}}, now=now):
            raise lifecycle.ProposalStateError("refused")
    elif event == lifecycle.APPROVE:
        lifecycle.proposal_approve(proposal=proposal, by=staff)
    elif event == lifecycle.APPROVE_WAITING:
        # Luoyang's only contact withdraws consent first: the approval has to wait for a contact.
        person_consent_withdraw(person=second.person, source="test")
        lifecycle.proposal_approve(proposal=proposal, by=staff)
    elif event == lifecycle.CONTACT_FOUND:
        if not lifecycle.proposals_invite_waiting(city_id=proposal.city_b_id):
            raise lifecycle.ProposalStateError("refused")
    elif event == lifecycle.EXPIRE:
        if not lifecycle.approvals_expire(now=now + dt.timedelta(days=365)):
            raise lifecycle.ProposalStateError("refused")
    elif event == lifecycle.MOVE_BACK:
        lifecycle.proposal_move_back(proposal=proposal, by=staff, note="Wait for the new mayor.")
    elif event == lifecycle.REOPEN:
        lifecycle.proposal_reopen(proposal=proposal, by=staff, note="They asked again.")
    elif event == lifecycle.REJECT:
        lifecycle.proposal_reject(proposal=proposal, by=staff, reason="Not now.")
    elif event == lifecycle.EDIT_THEMES:
        lifecycle.proposal_themes_update(
            proposal=proposal, themes=[factories.theme(slug="trade", name="Trade")], by=staff
        )
    elif event == lifecycle.CITY_ACCEPTS:
        lifecycle.proposal_accept_by_city(proposal=proposal, invitation=first)
    elif event == lifecycle.BOTH_ACCEPTED:
        if proposal.status == Status.APPROVED:
            lifecycle.proposal_accept_by_city(proposal=proposal, invitation=second)
            lifecycle.proposal_accept_by_city(proposal=proposal, invitation=first)
        else:
            Invitation.objects.filter(pk__in=[first.pk, second.pk]).update(answer=Invitation.Answer.ACCEPTED)
            lifecycle.partnership_form(proposal=proposal)
    elif event == lifecycle.CITY_DECLINES:
        lifecycle.proposal_decline_by_city(proposal=proposal, invitation=first, reason="No budget.")
    else:
        raise AssertionError(f"no door for {event}")


MOVES = [event for event in PROPOSAL_TRANSITIONS if event != lifecycle.PROPOSE]


@pytest.mark.parametrize(("state", "event"), list(itertools.product(STATES, MOVES)))
def test_every_event_in_every_state_moves_as_the_table_says_or_is_refused(state, event):
    proposal, introductions = _in_state(state)
    expected = next_state(state, event)

    if expected is None:
        with pytest.raises((lifecycle.ProposalStateError, InvitationClosed)), transaction.atomic():
            _attempt(event, proposal, introductions)
        proposal.refresh_from_db()
        assert proposal.status == state
        assert not proposal.timeline.exists()
    else:
        _attempt(event, proposal, introductions)
        proposal.refresh_from_db()
        assert proposal.status == expected
        assert proposal.timeline.exists()
        assert Partnership.objects.filter(proposal=proposal).exists() == (event == lifecycle.BOTH_ACCEPTED)


def test_propose_makes_a_pending_proposal_and_never_a_second_open_one_for_a_pair():
    morelia, luoyang = builders.mexican_city(), builders.chinese_city()
    city_a, city_b = sorted([morelia.pk, luoyang.pk])
    pair = NewProposal(city_a, city_b, 4.0, [], [], is_triangular=False, is_invitable=False)
    run = matching_run_create(trigger="test")

    count = lifecycle.proposals_propose(run=run, new=[pair], now=timezone.now())

    created = Proposal.objects.get(city_a_id=city_a, city_b_id=city_b)
    assert (count, created.status, list(created.timeline.values_list("kind", flat=True))) == (
        1,
        Status.PENDING,
        ["proposed"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        lifecycle.proposals_propose(run=run, new=[pair], now=timezone.now())


def _partnership(status: str) -> Partnership:
    proposal, introductions = _in_state(Status.APPROVED)
    _attempt(lifecycle.BOTH_ACCEPTED, proposal, introductions)
    partnership = Partnership.objects.get(proposal=proposal)
    Partnership.objects.filter(pk=partnership.pk).update(status=status)
    partnership.refresh_from_db()
    return partnership


@pytest.mark.parametrize(
    ("current", "target"), list(itertools.product(Partnership.Status.values, Partnership.Status.values))
)
def test_every_partnership_status_change_is_allowed_or_refused_as_the_table_says(current, target):
    partnership = _partnership(current)
    staff = factories.user()
    allowed = target in PARTNERSHIP_TRANSITIONS[current]

    if allowed:
        lifecycle.partnership_status_change(partnership=partnership, status=target, by=staff, note="n")
    else:
        with pytest.raises(ValidationError):
            lifecycle.partnership_status_change(partnership=partnership, status=target, by=staff)

    partnership.refresh_from_db()
    assert partnership.status == (target if allowed else current)
    assert partnership.timeline.filter(kind="status_changed").exists() == allowed


def test_the_table_in_the_docstring_is_the_table_enforced():
    rows = {}
    for line in lifecycle.__doc__.splitlines():
        cells = line.split()
        if cells and cells[0] in PROPOSAL_TRANSITIONS:
            rows[cells[0]] = cells[1 : 2 + len(STATES)]
    header = ["(none)", *STATES]

    table = {event: dict(zip(header, cells, strict=True)) for event, cells in rows.items()}

    assert set(table) == set(PROPOSAL_TRANSITIONS)
    for event, cells in table.items():
        assert cells["(none)"] == ("pending" if event == lifecycle.PROPOSE else "-")
        for state in STATES:
            assert cells[state] == (next_state(state, event) or "-"), (event, state)


def test_the_architecture_notes_show_the_same_table():
    from pathlib import Path

    from django.conf import settings

    lines = lifecycle.__doc__.splitlines()
    rules = [number for number, line in enumerate(lines) if line.startswith("=====")]
    table = "\n".join(lines[rules[0] : rules[2] + 1])

    assert len(rules) == 3
    assert table in Path(settings.BASE_DIR, "docs", "architecture.md").read_text()
