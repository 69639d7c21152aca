"""Size limits on every free-text field and list, at every door: the models (so the admin's forms and the
services' ``full_clean()`` refuse oversized text next to the field), the admin's forms, the API."""

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from cities.models import City, GoodPractice
from cities.services import good_practice_create
from tests import factories
from tests.partnerships.matching.test_index import change_form_data
from travelsouth.validation import ShortTextListValidator

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"cities", "webinars", "surveys", "partnerships", "report", "portal", "travelsouth"}
HUGE = "x" * 2_400_000  # just under DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), so it reaches the form
# Written by the code, never typed in: error texts, the matching run's notes, what a row of the data set
# held, timeline data, where an interest's items came from, an answer's details and a revision's
# answers. The admin shows them read-only (the admin test below checks that no form edits them).
WRITTEN_BY_THE_CODE = {
    "partnerships.Invitation.last_error",
    "partnerships.Invitation.answer_data",
    "partnerships.MatchingRun.error",
    "partnerships.MatchingRun.notes",
    "partnerships.MatchingRun.settings_used",
    "partnerships.Proposal.reasons",
    "partnerships.Interest.item_sources",
    "partnerships.TimelineEvent.data",
    "report.LoadedRow.values",
    "surveys.ResponseRevision.answers",
}


def _bounded(field: models.Field) -> bool:
    if isinstance(field, models.JSONField):
        return any(isinstance(validator, ShortTextListValidator) for validator in field.validators)
    return field.max_length is not None and any(
        isinstance(validator, MaxLengthValidator) for validator in field.validators
    )


def test_every_free_text_field_and_list_of_the_domain_has_a_size_limit():
    unbounded = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS and not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField | models.JSONField) and not _bounded(field)
    }

    assert unbounded == WRITTEN_BY_THE_CODE


def _admin_forms(request):
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin.get_form(request, None)
        for inline in model_admin.get_inline_instances(request, None):
            yield inline.model, inline.get_formset(request, None).form


def test_no_admin_form_takes_text_of_any_size():
    request = RequestFactory().get("/admin/")
    request.user = factories.user(email="root@unossc.example")
    request.user.is_staff = request.user.is_superuser = True

    unbounded = set()
    for model, form_class in _admin_forms(request):
        for name, form_field in form_class.base_fields.items():
            if not isinstance(form_field, forms.CharField) or form_field.max_length is not None:
                continue
            model_field = next((f for f in model._meta.concrete_fields if f.name == name), None)
            if model_field is None or not _bounded(model_field):
                unbounded.add(f"{model._meta.label}.{name}")

    # Django's own account form: passwords are hashed (PBKDF2 takes any length in constant memory).
    assert unbounded == {"auth.User.password1", "auth.User.password2"}


def test_the_admin_refuses_a_huge_description_with_a_form_error(staff_client):
    city = factories.city(name="Cusco", description="The Inca capital.")
    url = reverse("admin:cities_city_change", args=[city.pk])

    response = staff_client.post(url, change_form_data(staff_client, url, description_en=HUGE))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "description_en": ["Ensure this value has at most 5000 characters (it has 2400000)."]
    }
    city.refresh_from_db()
    assert city.description == "The Inca capital."


def test_the_admin_saves_a_description_within_the_limit(staff_client):
    city = factories.city(name="Cusco", description="The Inca capital.")
    url = reverse("admin:cities_city_change", args=[city.pk])

    response = staff_client.post(url, change_form_data(staff_client, url, description_en="y" * 5000))

    assert response.status_code == 302
    city.refresh_from_db()
    assert city.description == "y" * 5000


def test_the_admin_refuses_a_list_of_too_many_digital_tools(staff_client):
    practice = factories.good_practice(title="Night tours", themes=[factories.theme()], digital_tools=["app"])
    url = reverse("admin:cities_goodpractice_change", args=[practice.pk])
    tools = "[" + ", ".join(f'"tool {number}"' for number in range(31)) + "]"

    response = staff_client.post(url, change_form_data(staff_client, url, digital_tools=tools))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"digital_tools": ["List at most 30 items."]}
    practice.refresh_from_db()
    assert practice.digital_tools == ["app"]


@pytest.mark.parametrize(
    ("tools", "error"),
    [
        ("[" + ", ".join(f'"t{n}"' for n in range(31)) + "]", "List at most 30 items."),
        ('["' + "t" * 101 + '"]', "Write each item in at most 100 characters."),
        ('{"tool": "app"}', "Give a list of texts."),
        ("[1, 2]", "Give a list of texts."),
    ],
)
def test_the_digital_tools_list_is_checked_at_the_model(tools, error):
    import json

    practice = factories.good_practice(title="Night tours", themes=[factories.theme()])
    practice.digital_tools = json.loads(tools)

    with pytest.raises(ValidationError) as refused:
        practice.full_clean()

    assert refused.value.message_dict == {"digital_tools": [error]}


def test_a_service_refuses_a_huge_summary_and_saves_nothing():
    city = factories.city(name="Cusco")

    with pytest.raises(ValidationError) as refused:
        good_practice_create(city=city, title="Night tours", summary=HUGE, themes=[factories.theme()])

    # The base column and the English one hold the same text (modeltranslation), and both refuse it.
    too_long = ["Ensure this value has at most 5000 characters (it has 2400000)."]
    assert refused.value.message_dict == {"summary": too_long, "summary_en": too_long}
    assert not GoodPractice.objects.exists()


def test_the_api_refuses_a_write_of_a_huge_description_and_saves_nothing(client):
    # The API is read-only: a write of any size is refused (405, JSON) before its body is read into
    # a form, and nothing is saved.
    city = factories.city(name="Cusco", description="The Inca capital.")

    posted = client.post(
        "/api/v1/cities/", {"name": "Cusco", "description": HUGE}, content_type="application/json"
    )
    patched = client.patch(
        f"/api/v1/cities/{city.pk}/", {"description": HUGE}, content_type="application/json"
    )

    assert (posted.status_code, posted["Content-Type"]) == (405, "application/json")
    assert (patched.status_code, patched["Content-Type"]) == (405, "application/json")
    city.refresh_from_db()
    assert list(City.objects.values_list("name", "description")) == [("Cusco", "The Inca capital.")]


def test_the_api_refuses_a_huge_search_with_a_400_and_a_reason(client):
    factories.city(name="Cusco")

    response = client.get("/api/v1/cities/", {"q": HUGE}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["detail"] == (
        "q: Ensure this value has at most 100 characters (it has 2400000)."
    )
