"""Answers to introductions, as the answer page calls them: a city accepts or declines a proposal.
(A check-in's answer is partnerships/outcomes.py's; a consent request's, outreach.consent_request_answer.)

Every answer locks the proposal first and then the invitation, always in that order, so answers from
two cities (or two colleagues) at once are serialised and cannot deadlock. What an answer does to the
proposal (accepted, declined, the partnership formed) is partnerships/lifecycle.py's.
"""

from django.db import transaction

from cities.models import Person

from ..lifecycle import proposal_accept_by_city, proposal_decline_by_city
from ..models import Invitation, Proposal
from .services import InvitationClosed

__all__ = ["InvitationClosed", "invitation_answer"]


def _check_answerable(invitation: Invitation, *, person: Person, kind: str) -> None:
    if invitation.person_id != person.pk:
        raise InvitationClosed("wrong_person")
    if invitation.kind != kind:
        raise InvitationClosed("wrong_link")
    if invitation.status == Invitation.Status.ANSWERED:
        raise InvitationClosed("used")
    if invitation.status == Invitation.Status.EXPIRED:
        raise InvitationClosed("expired")
    # A fast reader may answer between the hand-over and the worker recording "sent".
    on_its_way = invitation.status == Invitation.Status.SENDING and invitation.handed_over_at is not None
    if invitation.status != Invitation.Status.SENT and not on_its_way:
        raise InvitationClosed(invitation.closed_reason or "closed")


@transaction.atomic
def invitation_answer(
    *, invitation: Invitation, person: Person, accept: bool, reason: str = ""
) -> Invitation:
    """``person`` answers a partnership introduction for their city: accept or decline (with a reason).

    Raises InvitationClosed if the invitation was already answered, expired, closed, or is not theirs.
    Side effects: those of lifecycle.proposal_accept_by_city or lifecycle.proposal_decline_by_city.
    """
    proposal = Proposal.objects.select_for_update().get(pk=invitation.proposal_id)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("person", "city")
        .get(pk=invitation.pk)
    )
    _check_answerable(invitation, person=person, kind=Invitation.Kind.INTRODUCTION)
    if accept:
        proposal_accept_by_city(proposal=proposal, invitation=invitation)
    else:
        proposal_decline_by_city(proposal=proposal, invitation=invitation, reason=reason)
    invitation.refresh_from_db()
    return invitation
