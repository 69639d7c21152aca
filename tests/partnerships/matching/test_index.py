"""The matching index a one-city refresh reads is kept current by the matching itself: a full run
rewrites it, a refresh rewrites its city's entries, and every door that changes what matching reads
about a city (services, the admin) schedules that city's refresh, or a rebuild when many cities move."""

import pytest
from django.urls import reverse

from cities.models import City, GoodPractice
from cities.services import city_review_approve
from partnerships.matching.engine.candidates import invert
from partnerships.matching.index import index_rebuild
from partnerships.matching.loading import load_city_facts, priority_themes
from partnerships.matching.runs import city_proposals_refresh, matching_run_create, matching_run_execute
from partnerships.models import IndexEntry, Proposal
from tests import factories

pytestmark = pytest.mark.django_db

Kind = IndexEntry.Kind


def entries(city: City | None = None) -> set[tuple[int, int, int, int]]:
    rows = IndexEntry.objects.all() if city is None else IndexEntry.objects.filter(city=city)
    return set(rows.values_list("kind", "bucket", "city_id", "strength"))


def rebuilt() -> set[tuple[int, int, int, int]]:
    """What the index holds when rebuilt from the database as it is now (then put back)."""
    kept = entries()
    index_rebuild(load_city_facts(), invert(priority_themes()))
    fresh = entries()
    IndexEntry.objects.all().delete()
    IndexEntry.objects.bulk_create(
        [
            IndexEntry(kind=kind, bucket=bucket, city_id=city, strength=strength)
            for kind, bucket, city, strength in kept
        ]
    )
    return fresh


def change_form_data(client, url: str, **changes) -> dict:
    """The admin change form's current values (and empty inlines), with ``changes`` applied."""
    page = client.get(url)
    assert page.status_code == 200
    data = {}
    for field in page.context["adminform"].form:
        value = field.value()
        if value is None:
            continue
        data[field.name] = [str(item) for item in value] if isinstance(value, list) else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
        data[f"{formset.prefix}-INITIAL_FORMS"] = len(formset.initial_forms)
        for form in formset.initial_forms:
            for field in form:
                if field.value() is not None:
                    data[field.html_name] = field.value()
    data.update(changes)
    return data


def test_a_full_run_writes_the_index_of_every_approved_city(world):
    world.interest(world.morelia, priorities=[world.tourism], partner_countries=[world.china])
    factories.city(name="Proposed", country_=world.china, review_status="pending")

    matching_run_execute(run=matching_run_create(trigger="test"))

    approved = set(City.objects.filter(review_status="approved").values_list("id", flat=True))
    assert {city for _, _, city, _ in entries()} == approved
    # Luoyang offers regional cooperation with a published practice: strength 1, in the theme's
    # bucket and in the bucket of the priority it addresses.
    assert {
        (Kind.MEMBER_THEME, world.cooperation.pk, world.luoyang.pk, 1),
        (Kind.MEMBER_PRIORITY, world.tourism.pk, world.luoyang.pk, 1),
        (Kind.MEMBER_COUNTRY, world.china.pk, world.luoyang.pk, 1),
        (Kind.SEEKER_PRIORITY, world.tourism.pk, world.morelia.pk, 0),
        (Kind.SEEKER_COUNTRY, world.china.pk, world.morelia.pk, 0),
    } <= entries()


def test_the_first_refresh_on_a_new_database_builds_the_index(world):
    world.interest(world.morelia, partner_cities=[world.luoyang], priorities=[world.tourism])
    assert not IndexEntry.objects.exists()

    run = city_proposals_refresh(city_id=world.morelia.pk)

    assert run.created_count >= 1
    assert entries() == rebuilt()
    assert {city for _, _, city, _ in entries()} >= {world.luoyang.pk, world.anyang.pk, world.sao_paulo.pk}


def test_a_refresh_brings_its_citys_change_into_the_index(
    world, django_capture_on_commit_callbacks, eager_tasks
):
    matching_run_execute(run=matching_run_create(trigger="test"))
    assert (Kind.MEMBER_THEME, world.e_commerce.pk, world.morelia.pk, 1) not in entries()

    with django_capture_on_commit_callbacks(execute=True):
        factories.good_practice(city_=world.morelia, themes=[world.e_commerce])
        world.interest(world.morelia, themes_sought=[world.heritage])  # schedules Morelia's refresh

    assert (Kind.MEMBER_THEME, world.e_commerce.pk, world.morelia.pk, 1) in entries(world.morelia)
    assert (Kind.SEEKER_THEME, world.heritage.pk, world.morelia.pk, 0) in entries(world.morelia)
    assert entries() == rebuilt()


def test_an_approved_city_joins_the_index_and_gets_proposals(
    world, staff_user, django_capture_on_commit_callbacks, eager_tasks
):
    world.interest(world.morelia, themes_sought=[world.heritage])
    matching_run_execute(run=matching_run_create(trigger="test"))
    xian = factories.city(name="Xi'an", country_=world.china, review_status="pending")
    factories.good_practice(city_=xian, themes=[world.heritage])
    assert not entries(xian)

    with django_capture_on_commit_callbacks(execute=True):
        city_review_approve(city=xian, by=staff_user)

    assert (Kind.MEMBER_THEME, world.heritage.pk, xian.pk, 1) in entries(xian)
    assert (
        Proposal.objects.filter(city_a=world.morelia, city_b=xian).exists()
        or Proposal.objects.filter(city_a=xian, city_b=world.morelia).exists()
    )


def test_a_practice_changed_in_the_admin_reaches_the_index(
    staff_client, world, django_capture_on_commit_callbacks, eager_tasks
):
    matching_run_execute(run=matching_run_create(trigger="test"))
    practice = world.luoyang_practice
    url = reverse("admin:cities_goodpractice_change", args=[practice.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, change_form_data(staff_client, url, themes=[str(world.e_commerce.pk)])
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (Kind.MEMBER_THEME, world.e_commerce.pk, world.luoyang.pk, 1) in entries(world.luoyang)
    assert (Kind.MEMBER_THEME, world.cooperation.pk, world.luoyang.pk, 1) not in entries(world.luoyang)
    assert entries() == rebuilt()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:cities_goodpractice_delete", args=[practice.pk]), {"post": "yes"})

    assert not GoodPractice.objects.filter(pk=practice.pk).exists()
    assert entries() == rebuilt()


def test_changing_a_prioritys_themes_in_the_admin_rebuilds_the_index(
    staff_client, world, django_capture_on_commit_callbacks, eager_tasks
):
    matching_run_execute(run=matching_run_create(trigger="test"))
    assert (Kind.MEMBER_PRIORITY, world.tourism.pk, world.luoyang.pk, 1) in entries()
    url = reverse("admin:partnerships_developmentpriority_change", args=[world.tourism.pk])

    data = change_form_data(staff_client, url)
    links = int(data["theme_links-TOTAL_FORMS"])
    assert links >= 1
    for number in range(links):  # every link removed, e-commerce added with strength 0.5
        data[f"theme_links-{number}-DELETE"] = "on"
    data.update(
        {
            "theme_links-TOTAL_FORMS": links + 1,
            f"theme_links-{links}-theme": world.e_commerce.pk,
            f"theme_links-{links}-strength": "0.5",
            f"theme_links-{links}-rationale": "Selling online",
        }
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert list(world.tourism.theme_links.values_list("theme__slug", "strength", "rationale")) == [
        ("e-commerce", 0.5, "Selling online")
    ]
    assert (Kind.MEMBER_PRIORITY, world.tourism.pk, world.luoyang.pk, 1) not in entries()
    assert entries() == rebuilt()


def test_moving_a_country_to_another_region_in_the_admin_rebuilds_the_index(
    staff_client, world, django_capture_on_commit_callbacks, eager_tasks
):
    matching_run_execute(run=matching_run_create(trigger="test"))
    url = reverse("admin:cities_country_change", args=[world.brazil.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, change_form_data(staff_client, url, subregion=str(world.china.subregion_id))
        )

    assert response.status_code == 302
    assert (Kind.MEMBER_REGION, world.china.subregion_id, world.sao_paulo.pk, 1) in entries()
    assert entries() == rebuilt()


def test_a_city_moved_to_another_country_in_the_admin_reaches_the_index(
    staff_client, world, django_capture_on_commit_callbacks, eager_tasks
):
    matching_run_execute(run=matching_run_create(trigger="test"))
    url = reverse("admin:cities_city_change", args=[world.anyang.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, change_form_data(staff_client, url, country=str(world.brazil.pk)))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert {(kind, bucket) for kind, bucket, _, _ in entries(world.anyang)} >= {
        (Kind.MEMBER_COUNTRY, world.brazil.pk),
        (Kind.MEMBER_REGION, world.brazil.subregion_id),
    }
    assert entries() == rebuilt()


def test_a_deleted_city_leaves_the_index(world):
    matching_run_execute(run=matching_run_create(trigger="test"))
    assert entries(world.anyang)

    world.anyang.delete()

    assert not IndexEntry.objects.filter(city_id=world.anyang.pk).exists()
