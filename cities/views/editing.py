"""What a city's approved officials edit: its profile, contacts and good practices.

Every view here goes through ``official_city`` (cities/decorators.py): anonymous visitors are sent to
log in, and anyone who is not an approved official of the city gets a 403 before anything is read.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from travelsouth.i18n import column, language_codes, text_in

from .. import selectors, services
from ..decorators import official_city
from ..forms import CityProfileForm, ContactForm, GoodPracticeForm, HeritageSiteFormSet, apply_service_errors
from ..models import City, GoodPractice, Person


def _practice_of(city: City, practice_slug: str) -> GoodPractice:
    practice = selectors.city_good_practices_for_officials(city=city).filter(slug=practice_slug).first()
    if practice is None:
        raise Http404
    return practice


def _contact_of(city: City, person_id: int) -> Person:
    person = selectors.city_contacts(city=city).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


@official_city
def city_manage(request, city):
    return render(
        request,
        "cities/city_manage.html",
        {
            "city": city,
            "practices": selectors.city_good_practices_for_officials(city=city),
            "officials": selectors.city_officials(city=city),
        },
    )


@official_city
def city_edit(request, city):
    initial = {
        **{
            name: text_in(city, "description", code)
            for code in language_codes()
            for name in [column("description", code)]
        },
        "website": city.website,
        "languages": list(city.languages.all()),
        "is_world_heritage_city": city.is_world_heritage_city,
    }
    sites = [
        {
            "id": site.pk,
            "name": site.name,
            "is_world_heritage": site.is_world_heritage,
            "inscribed_year": site.inscribed_year,
        }
        for site in city.heritage_sites.all()
    ]
    form = CityProfileForm(request.POST or None, initial=initial)
    formset = HeritageSiteFormSet(request.POST or None, initial=sites, prefix="sites")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            texts = form.texts()
            services.city_profile_update(
                city=city,
                description=texts.pop(settings.LANGUAGE_CODE)["description"],
                texts=texts,
                heritage_sites=formset.sites(),
                **form.other_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The profile of %(city)s is saved.") % {"city": city.display_name})
            return redirect("cities:manage", slug=city.slug)
    return render(request, "cities/city_edit.html", {"city": city, "form": form, "formset": formset})


@official_city
def contacts(request, city):
    form = ContactForm(request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.city_contact_add(city=city, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is added to the contacts.") % {"name": person.full_name})
            return redirect("cities:contacts", slug=city.slug)
    return render(
        request,
        "cities/contacts.html",
        {"city": city, "contacts": selectors.city_contacts(city=city), "form": form},
    )


@official_city
def contact_edit(request, city, person_id):
    person = _contact_of(city, person_id)
    if person.user_id is not None:
        raise PermissionDenied
    initial = {
        "honorific": person.honorific,
        "full_name": person.full_name,
        "title": person.title,
        "email": person.email,
        "preferred_language": person.preferred_language,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.city_contact_update(person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("cities:contacts", slug=city.slug)
    return render(request, "cities/contact_form.html", {"city": city, "person": person, "form": form})


@official_city
@require_POST
def contact_remove(request, city, person_id):
    person = _contact_of(city, person_id)
    try:
        services.city_contact_remove(city=city, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer a contact.") % {"name": person.full_name})
    return redirect("cities:contacts", slug=city.slug)


def _practice_initial(practice: GoodPractice) -> dict:
    return {
        **{
            column(field, code): text_in(practice, field, code)
            for field in ("title", "summary")
            for code in language_codes()
        },
        "themes": list(practice.themes.all()),
        "sdgs": list(practice.sdgs.all()),
        "digital_tools": "\n".join(practice.digital_tools),
        "link": practice.link,
        "year": practice.year,
    }


@official_city
def practice_create(request, city):
    form = GoodPracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.good_practice_create(
                city=city, original_language=get_language(), texts=form.texts(), **form.other_data()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is published.") % {"title": practice.display_title})
            return redirect("cities:manage", slug=city.slug)
    return render(request, "cities/practice_form.html", {"city": city, "form": form, "practice": None})


@official_city
def practice_edit(request, city, practice_slug):
    practice = _practice_of(city, practice_slug)
    form = GoodPracticeForm(request.POST or None, initial=_practice_initial(practice))
    if request.method == "POST" and form.is_valid():
        try:
            services.good_practice_update(good_practice=practice, texts=form.texts(), **form.other_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The good practice is saved."))
            return redirect("cities:manage", slug=city.slug)
    return render(request, "cities/practice_form.html", {"city": city, "form": form, "practice": practice})


@official_city
@require_POST
def practice_withdraw(request, city, practice_slug):
    practice = services.good_practice_withdraw(good_practice=_practice_of(city, practice_slug))
    messages.success(
        request, _("“%(title)s” is withdrawn from the public pages.") % {"title": practice.display_title}
    )
    return redirect("cities:manage", slug=city.slug)


@official_city
@require_POST
def practice_publish(request, city, practice_slug):
    practice = services.good_practice_publish(good_practice=_practice_of(city, practice_slug))
    messages.success(request, _("“%(title)s” is published.") % {"title": practice.display_title})
    return redirect("cities:manage", slug=city.slug)
