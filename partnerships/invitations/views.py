"""The pages behind e-mailed links. Opening a link only shows a page (mail scanners open links); the
page's POST acts, through one service. A bad link of any kind gets a page that says what is wrong."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from cities.services import person_consent_withdraw

from ..models import Invitation
from ..outcome_forms import CheckInForm
from ..outcomes import check_in_answer
from . import links
from .answers import InvitationClosed, invitation_answer
from .forms import DeclineForm
from .outreach import consent_request_answer
from .selectors import answer_outcome, invitation_for_answer, person_for_stop_link

PROBLEMS = {
    "tampered": (
        400,
        _("This link does not work"),
        _("The link is incomplete or has been changed. Please open it exactly as it appears in the e-mail."),
    ),
    "expired": (
        410,
        _("This link has expired"),
        _(
            "The time to answer through this link has passed. If you still want to answer, please reply to the e-mail."
        ),
    ),
    "used": (
        409,
        _("Already answered"),
        _("This invitation has already been answered, and a link works only once. Nothing was changed."),
    ),
    "wrong_person": (
        403,
        _("This link was sent to someone else"),
        _("The link belongs to another person's invitation. Please use the link in your own e-mail."),
    ),
    "unknown": (
        404,
        _("Invitation not found"),
        _("We cannot find the invitation this link belongs to. It may have been withdrawn."),
    ),
    "closed": (
        409,
        _("This invitation is closed"),
        _("The invitation can no longer be answered."),
    ),
}


def _problem(request: HttpRequest, reason: str) -> HttpResponse:
    if reason == "wrong_link":  # a valid link of one kind of invitation used for another
        reason = "tampered"
    status, title, explanation = PROBLEMS.get(reason, PROBLEMS["closed"])
    if reason not in PROBLEMS and reason in Invitation.CloseReason.values:
        explanation = Invitation.CloseReason(reason).label
    return render(
        request,
        "partnerships/invitations/problem.html",
        {"title": title, "explanation": explanation, "reason": reason},
        status=status,
    )


def _invitation_from_link(token: str, *, action: str) -> tuple[Invitation | None, str]:
    """The invitation a link names, or the reason the link does not work."""
    try:
        claims = links.read_answer_token(token)
    except links.LinkError as error:
        return None, error.reason
    if links.VIEWS[claims.action] != links.VIEWS[action]:
        return None, "tampered"
    invitation = invitation_for_answer(invitation_id=claims.invitation_id)
    if invitation is None:
        return None, "unknown"
    if invitation.person_id != claims.person_id:
        return None, "wrong_person"
    return invitation, claims.action


def _open_or_answered(invitation: Invitation) -> bool:
    on_its_way = invitation.status == Invitation.Status.SENDING and invitation.handed_over_at is not None
    return on_its_way or invitation.status in (Invitation.Status.SENT, Invitation.Status.ANSWERED)


def _closed_reason(invitation: Invitation) -> str:
    if invitation.status == Invitation.Status.EXPIRED:
        return "expired"
    return invitation.closed_reason or "closed"


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation, action = _invitation_from_link(token, action=links.ACCEPT)
    if invitation is None:
        return _problem(request, action)
    accept = action == links.ACCEPT
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation_answer(
                    invitation=invitation,
                    person=invitation.person,
                    accept=accept,
                    reason="" if accept else form.cleaned_data["reason"],
                )
            except InvitationClosed as closed:
                return _problem(request, closed.reason)
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect(request.path)
    elif not _open_or_answered(invitation):
        return _problem(request, _closed_reason(invitation))
    proposal = invitation.proposal
    partner = proposal.city_b if invitation.city_id == proposal.city_a_id else proposal.city_a
    partnership, partner_contact = answer_outcome(invitation=invitation)
    return render(
        request,
        "partnerships/invitations/answer.html",
        {
            "invitation": invitation,
            "partnership": partnership,
            "partner_contact": partner_contact,
            "accept": accept,
            "form": form,
            "own_city": invitation.city,
            "partner_city": partner,
            "themes": list(proposal.themes.all()),
        },
    )


@never_cache
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    invitation, action = _invitation_from_link(token, action=links.CHECK_IN)
    if invitation is None:
        return _problem(request, action)
    check_in = invitation.check_in
    if check_in is None:
        return _problem(request, "unknown")
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                check_in_answer(
                    check_in=check_in, person=invitation.person, invitation=invitation, **form.cleaned_data
                )
            except InvitationClosed as closed:
                return _problem(request, closed.reason)
            messages.success(request, _("Thank you: your report is recorded."))
            return redirect(request.path)
    elif not check_in.is_answered and not _open_or_answered(invitation):
        return _problem(request, _closed_reason(invitation))
    partnership = invitation.partnership
    partner = partnership.city_b if invitation.city_id == partnership.city_a_id else partnership.city_a
    check_in.refresh_from_db()
    return render(
        request,
        "partnerships/invitations/check_in.html",
        {
            "invitation": invitation,
            "check_in": check_in,
            "form": form,
            "own_city": invitation.city,
            "partner_city": partner,
        },
    )


@never_cache
def consent(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a consent request: the page asks; only its POST records the consent."""
    invitation, action = _invitation_from_link(token, action=links.CONSENT)
    if invitation is None:
        return _problem(request, action)
    if request.method == "POST":
        try:
            consent_request_answer(invitation=invitation, person=invitation.person)
        except InvitationClosed as closed:
            return _problem(request, closed.reason)
        messages.success(
            request, _("Thank you: UNOSSC may now contact you about partnerships for your city.")
        )
        return redirect(request.path)
    if not _open_or_answered(invitation):
        return _problem(request, _closed_reason(invitation))
    return render(
        request,
        "partnerships/invitations/consent.html",
        {"invitation": invitation, "person": invitation.person, "city": invitation.city},
    )


@never_cache
def stop(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person_id = links.read_stop_token(token)
    except links.LinkError as error:
        return _problem(request, error.reason)
    person = person_for_stop_link(person_id=person_id)
    if person is None:
        return _problem(request, "unknown")
    if request.method == "POST":
        person_consent_withdraw(person=person, source="Stop link in a Travel South e-mail")
        return redirect(request.path)
    return render(request, "partnerships/invitations/stop.html", {"person": person})
