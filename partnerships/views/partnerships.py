"""Partnerships' pages: the public list and detail (no personal data), and the page on which the two
cities' officials (and staff) follow their partnership: each other's contacts, agreements, activities,
check-ins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cities.forms import apply_service_errors
from cities.models import CityMembership
from cities.selectors import person_of
from travelsouth.pages import public_page

from .. import outcomes, selectors
from ..invitations.services import InvitationClosed
from ..models import Agreement, Partnership
from ..outcome_forms import ActivityForm, AgreementForm, CheckInForm
from ..permissions import can_manage_partnership, is_partner_official


@public_page
def partnership_list(request):
    return render(
        request,
        "partnerships/partnership_list.html",
        {"partnerships": list(selectors.public_partnership_list())},
    )


@public_page
def partnership_detail(request, pk: int):
    try:
        partnership = selectors.public_partnership_detail(pk=pk)
    except Partnership.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "partnerships/partnership_detail.html",
        {"partnership": partnership, "can_manage": can_manage_partnership(request.user, partnership)},
    )


def _managed(request, pk: int) -> Partnership:
    try:
        partnership = selectors.partnership_for_officials(pk=pk)
    except Partnership.DoesNotExist:
        raise Http404 from None
    if not can_manage_partnership(request.user, partnership):
        raise PermissionDenied
    return partnership


def _own_city_ids(request, partnership: Partnership) -> set[int]:
    """The cities of the partnership the user answers for (staff: both)."""
    both = {partnership.city_a_id, partnership.city_b_id}
    if not is_partner_official(request.user, partnership):
        return both
    memberships = request.user.city_memberships.filter(status=CityMembership.Status.APPROVED)
    return both & set(memberships.values_list("city_id", flat=True))


@never_cache
@login_required
def partnership_manage(request, pk: int):
    partnership = _managed(request, pk)
    agreement_form = AgreementForm(prefix="agreement")
    activity_form = ActivityForm(prefix="activity")
    if request.method == "POST":
        if "agreement-kind" in request.POST:
            agreement_form = AgreementForm(request.POST, request.FILES, prefix="agreement")
            if agreement_form.is_valid():
                try:
                    outcomes.agreement_record(
                        partnership=partnership, by=request.user, **agreement_form.cleaned_data
                    )
                except ValidationError as error:
                    apply_service_errors(agreement_form, error)
                else:
                    messages.success(request, _("The agreement is recorded."))
                    return redirect("partnerships:manage", pk=pk)
        elif "activity-title" in request.POST:
            activity_form = ActivityForm(request.POST, prefix="activity")
            if activity_form.is_valid():
                try:
                    outcomes.activity_record(
                        partnership=partnership, by=request.user, **activity_form.cleaned_data
                    )
                except ValidationError as error:
                    apply_service_errors(activity_form, error)
                else:
                    messages.success(request, _("The joint activity is recorded."))
                    return redirect("partnerships:manage", pk=pk)
    own = _own_city_ids(request, partnership)
    check_ins = [
        (check_in, CheckInForm(prefix=f"check-in-{check_in.pk}") if check_in.city_id in own else None)
        for check_in in partnership.check_ins.all()
    ]
    return render(
        request,
        "partnerships/partnership_manage.html",
        {
            "partnership": partnership,
            "agreement_form": agreement_form,
            "activity_form": activity_form,
            "check_ins": check_ins,
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def check_in_answer(request, pk: int, check_in_id: int):
    partnership = _managed(request, pk)
    check_in = next((row for row in partnership.check_ins.all() if row.pk == check_in_id), None)
    if check_in is None or check_in.city_id not in _own_city_ids(request, partnership):
        raise Http404
    person = person_of(user=request.user)
    form = CheckInForm(request.POST, prefix=f"check-in-{check_in.pk}")
    if person is None:
        messages.error(request, _("Add your name on your details page first: the answer is recorded in it."))
    elif form.is_valid():
        try:
            outcomes.check_in_answer(check_in=check_in, person=person, **form.cleaned_data)
        except InvitationClosed:
            messages.info(request, _("A colleague already answered this check-in for your city."))
        else:
            messages.success(request, _("Thank you: the check-in is answered."))
    else:
        messages.error(request, _("Say whether the partnership is still active."))
    return redirect("partnerships:manage", pk=pk)


@login_required
def agreement_document(request, pk: int, agreement_id: int):
    partnership = _managed(request, pk)
    agreement = (
        Agreement.objects.filter(pk=agreement_id, partnership=partnership).exclude(document="").first()
    )
    if agreement is None:
        raise Http404
    response = FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=f"agreement-{partnership.pk}-{agreement.signed_on:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
