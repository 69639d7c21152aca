"""Interest registration and history, for a city's approved officials."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cities.decorators import official_city
from cities.forms import apply_service_errors
from cities.selectors import person_of

from .. import interests, selectors
from ..forms import InterestForm
from ..selectors import INTEREST_RELATIONS


def _initial_from(interest, person) -> dict:
    initial = {"consent_to_contact": bool(person and person.has_contact_consent)}
    if interest is not None:
        initial.update({name: list(getattr(interest, name).all()) for name in INTEREST_RELATIONS})
        initial.update({"message": interest.message, "is_published": interest.is_published})
    return initial


@official_city
def interest_register(request, city):
    current = selectors.current_interest(city=city)
    person = person_of(user=request.user)
    form = InterestForm(request.POST or None, city=city, initial=_initial_from(current, person))
    if request.method == "POST" and form.is_valid():
        try:
            interests.interest_register(city=city, official=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The interest of %(city)s is registered.") % {"city": city.display_name}
            )
            return redirect("partnerships:interest_history", slug=city.slug)
    return render(
        request, "partnerships/interest_form.html", {"city": city, "form": form, "current": current}
    )


@official_city
def interest_history(request, city):
    return render(
        request,
        "partnerships/interest_history.html",
        {"city": city, "versions": selectors.interest_history_versions(city=city)},
    )


@require_POST
@official_city
def interest_withdraw(request, city):
    if interests.interest_withdraw(city=city, by=request.user) is None:
        messages.info(request, _("%(city)s has no interest to withdraw.") % {"city": city.display_name})
    else:
        messages.success(request, _("The interest of %(city)s is withdrawn.") % {"city": city.display_name})
    return redirect("partnerships:interest_history", slug=city.slug)
