"""A signed-up user's own pages: their cities, their details, their consent, asking to act for a city."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import selectors, services
from ..consent_sources import CONSENT_PAGE, with_sources_displayed
from ..forms import CityProposalForm, MembershipRequestForm, PersonDetailsForm, apply_service_errors
from ..models import CityMembership

CONSENT_PAGE_SOURCE = CONSENT_PAGE


@login_required
def dashboard(request):
    person = selectors.person_of(user=request.user)
    return render(
        request,
        "cities/dashboard.html",
        {"person": person, "memberships": selectors.memberships_of(user=request.user)},
    )


@login_required
def person_details(request):
    person = selectors.person_of(user=request.user)
    initial = (
        {
            "honorific": person.honorific,
            "full_name": person.full_name,
            "title": person.title,
            "language": person.preferred_language,
        }
        if person
        else {"language": get_language()}
    )
    form = PersonDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.official_person_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("officials:dashboard")
    return render(request, "cities/person_details.html", {"form": form})


@login_required
def consent(request):
    person = selectors.person_of(user=request.user)
    if request.method == "POST":
        if person is None:
            raise Http404
        if request.POST.get("consent") == "give":
            services.person_consent_give(person=person, source=CONSENT_PAGE_SOURCE)
            messages.success(request, _("Thank you: UNOSSC staff and partner cities may now contact you."))
        else:
            services.person_consent_withdraw(person=person, source=CONSENT_PAGE_SOURCE)
            messages.success(
                request, _("Your consent is withdrawn: nobody will contact you through Travel South.")
            )
        return redirect("officials:consent")
    return render(
        request,
        "cities/consent.html",
        {
            "person": person,
            "events": with_sources_displayed(selectors.consent_history(person=person)) if person else [],
        },
    )


def _person_initial(request) -> dict:
    person = selectors.person_of(user=request.user)
    return {"full_name": person.full_name, "role": person.title} if person else {}


@login_required
def membership_request(request):
    form = MembershipRequestForm(request.POST or None, initial=_person_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_request(
                user=request.user, language=get_language(), **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request to act for %(city)s is sent. UNOSSC staff will review it.")
                % {"city": membership.city.display_name},
            )
            return redirect("officials:dashboard")
    return render(request, "cities/membership_request.html", {"form": form})


@login_required
def city_propose(request):
    form = CityProposalForm(request.POST or None, initial=_person_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.city_propose(
                user=request.user, language=get_language(), **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(city)s is added for review, with your request to act for it.")
                % {"city": membership.city.name},
            )
            return redirect("officials:dashboard")
    return render(request, "cities/city_propose.html", {"form": form})


@login_required
def membership_leave(request, membership_id):
    membership = (
        selectors.memberships_of(user=request.user)
        .filter(pk=membership_id, status__in=[CityMembership.Status.PENDING, CityMembership.Status.APPROVED])
        .first()
    )
    if membership is None:
        raise Http404
    if request.method == "POST":
        try:
            services.membership_leave(membership=membership, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("You no longer act for %(city)s.") % {"city": membership.city.display_name}
            )
        return redirect("officials:dashboard")
    return render(request, "cities/membership_leave.html", {"membership": membership})
