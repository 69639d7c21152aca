"""The one change hook: every door that changes what matching reads about a city refreshes that city's
proposals after commit (a one-city matching run for it), through the services, never by itself.

Each test drives a real door (an admin page or action, an official's page, a survey answer, an e-mail
link) with the on-commit callbacks run and Celery in-process, and checks which cities were refreshed.
"""

import pytest
from django.urls import reverse

from cities.changes import city_data_changed
from cities.models import City, CityMembership, Person
from cities.services import membership_request, person_consent_give
from partnerships.matching.runs import matching_run_create, matching_run_execute
from partnerships.models import Interest, MatchingRun, Proposal
from tests import factories
from tests.partnerships.matching.test_index import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshes(django_capture_on_commit_callbacks, eager_tasks):
    """Run a door with its after-commit work, and say which cities got a one-city refresh."""

    class Recorder:
        def __call__(self, door):
            before = set(MatchingRun.objects.values_list("pk", flat=True))
            with django_capture_on_commit_callbacks(execute=True):
                result = door()
            self.result = result
            return sorted(
                set(
                    MatchingRun.objects.filter(scope=MatchingRun.Scope.CITY)
                    .exclude(pk__in=before)
                    .values_list("city__name", flat=True)
                )
            )

    return Recorder()


def official_client(client, city: City):
    account = factories.official(city_=city)
    client.force_login(account)
    return client, account


def test_the_hook_has_two_receivers_the_refresh_and_the_waiting_approvals():
    from partnerships.lifecycle import schedule_waiting_approvals_check
    from partnerships.matching.runs import schedule_city_proposals_refresh

    assert city_data_changed.receivers == (schedule_city_proposals_refresh, schedule_waiting_approvals_check)


# --- The admin ----------------------------------------------------------------------------------


def test_a_city_edited_in_the_admin_is_refreshed(staff_client, world, refreshes):
    url = reverse("admin:cities_city_change", args=[world.anyang.pk])

    refreshed = refreshes(
        lambda: staff_client.post(url, change_form_data(staff_client, url, is_world_heritage_city="on"))
    )

    assert refreshes.result.status_code == 302
    assert refreshed == ["Anyang"]


def test_a_person_moved_between_cities_in_the_admin_refreshes_both(staff_client, world, refreshes):
    person = Person.objects.get(city=world.oaxaca)
    url = reverse("admin:cities_person_change", args=[person.pk])

    refreshed = refreshes(
        lambda: staff_client.post(url, change_form_data(staff_client, url, city=str(world.anyang.pk)))
    )

    assert refreshes.result.status_code == 302, refreshes.result.context["adminform"].form.errors
    assert refreshed == ["Anyang", "Oaxaca"]


def test_a_practice_edited_or_deleted_in_the_admin_refreshes_its_city(staff_client, world, refreshes):
    url = reverse("admin:cities_goodpractice_change", args=[world.anyang_practice.pk])

    edited = refreshes(
        lambda: staff_client.post(url, change_form_data(staff_client, url, themes=[str(world.e_commerce.pk)]))
    )
    deleted = refreshes(
        lambda: staff_client.post(
            reverse("admin:cities_goodpractice_delete", args=[world.anyang_practice.pk]), {"post": "yes"}
        )
    )

    assert (edited, deleted) == (["Anyang"], ["Anyang"])


def test_an_interest_added_changed_or_deleted_in_the_admin_refreshes_its_city(staff_client, world, refreshes):
    add_url = reverse("admin:partnerships_interest_add")

    added = refreshes(
        lambda: staff_client.post(
            add_url,
            {"city": world.oaxaca.pk, "source": "staff", "partner_cities": [world.anyang.pk], "message": ""},
        )
    )
    interest = Interest.objects.get(city=world.oaxaca, is_current=True)
    change_url = reverse("admin:partnerships_interest_change", args=[interest.pk])
    changed = refreshes(
        lambda: staff_client.post(
            change_url, change_form_data(staff_client, change_url, partner_cities=[str(world.luoyang.pk)])
        )
    )
    deleted = refreshes(
        lambda: staff_client.post(
            reverse("admin:partnerships_interest_delete", args=[interest.pk]), {"post": "yes"}
        )
    )

    assert (added, changed, deleted) == (["Oaxaca"], ["Oaxaca"], ["Oaxaca"])


def test_deleting_an_interest_in_the_admin_supersedes_the_proposals_that_rested_on_it(
    staff_client, world, refreshes
):
    interest = world.interest(world.oaxaca, partner_cities=[world.anyang])
    matching_run_execute(run=matching_run_create(trigger="test"))
    proposal = Proposal.objects.get(city_a=world.oaxaca, city_b=world.anyang)
    assert proposal.status == Proposal.Status.PENDING

    refreshes(
        lambda: staff_client.post(
            reverse("admin:partnerships_interest_delete", args=[interest.pk]), {"post": "yes"}
        )
    )

    proposal.refresh_from_db()
    assert not Interest.objects.filter(pk=interest.pk).exists()
    assert (proposal.status, proposal.timeline.last().data["cause"]) == (
        Proposal.Status.SUPERSEDED,
        "no_basis",
    )


def test_approving_a_membership_refreshes_the_city_the_official_joins(staff_client, world, refreshes):
    account = factories.user()
    membership = membership_request(user=account, city=world.anyang, full_name="Wang Fang", role="Director")

    refreshed = refreshes(
        lambda: staff_client.post(
            reverse("admin:cities_citymembership_changelist"),
            {
                "action": "approve_memberships",
                "_selected_action": [membership.pk],
                "apply": "1",
                "reason": "",
            },
        )
    )

    membership.refresh_from_db()
    assert (membership.status, refreshed) == (CityMembership.Status.APPROVED, ["Anyang"])


# --- An official's pages ----------------------------------------------------------------------------


def test_an_officials_interest_form_refreshes_the_city(client, world, refreshes):
    official, _account = official_client(client, world.oaxaca)

    refreshed = refreshes(
        lambda: official.post(
            reverse("partnerships:interest_register", args=[world.oaxaca.slug]),
            {
                "priorities": [world.tourism.pk],
                "partner_cities": [world.luoyang.pk],
                "consent_to_contact": "on",
            },
        )
    )

    assert refreshes.result.status_code == 302, refreshes.result.context["form"].errors
    assert refreshed == ["Oaxaca"]


def test_an_officials_practice_and_profile_pages_refresh_the_city(client, world, refreshes):
    official, _account = official_client(client, world.anyang)
    practice_slug = world.anyang_practice.slug

    created = refreshes(
        lambda: official.post(
            reverse("cities:practice_create", args=[world.anyang.slug]),
            {
                "title_en": "Oracle bone script museum",
                "summary_en": "A museum.",
                "themes": [world.heritage.pk],
            },
        )
    )
    withdrawn = refreshes(
        lambda: official.post(reverse("cities:practice_withdraw", args=[world.anyang.slug, practice_slug]))
    )
    profile = refreshes(
        lambda: official.post(
            reverse("cities:edit", args=[world.anyang.slug]),
            {
                "description_en": "Capital of the Shang.",
                "is_world_heritage_city": "on",
                "sites-TOTAL_FORMS": "0",
                "sites-INITIAL_FORMS": "0",
            },
        )
    )

    assert (created, withdrawn, profile) == (["Anyang"], ["Anyang"], ["Anyang"])


def test_a_contacts_new_address_or_removal_refreshes_the_city(client, world, refreshes):
    official, _account = official_client(client, world.anyang)
    contact = factories.person(city=world.anyang, email="old@anyang.example")
    person_consent_give(person=contact, source="test")
    edit_url = reverse("cities:contact_edit", args=[world.anyang.slug, contact.pk])

    edited = refreshes(
        lambda: official.post(
            edit_url,
            {"full_name": contact.full_name, "email": "new@anyang.example", "preferred_language": "zh-hans"},
        )
    )
    removed = refreshes(
        lambda: official.post(reverse("cities:contact_remove", args=[world.anyang.slug, contact.pk]))
    )

    assert (edited, removed) == (["Anyang"], ["Anyang"])


def test_giving_or_withdrawing_consent_on_the_consent_page_refreshes_the_city(client, world, refreshes):
    official, _account = official_client(client, world.anyang)

    given = refreshes(lambda: official.post(reverse("officials:consent"), {"consent": "give"}))
    withdrawn = refreshes(lambda: official.post(reverse("officials:consent"), {"consent": "withdraw"}))

    assert (given, withdrawn) == (["Anyang"], ["Anyang"])


# --- A survey answer and an e-mail link ----------------------------------------------------------------


def test_a_survey_answer_refreshes_the_city_it_speaks_for(client, refreshes):
    from tests.surveys.builders import build_survey
    from tests.surveys.test_views import form_data

    kit = build_survey()
    puebla = factories.city(name="Puebla")
    official, _account = official_client(client, puebla)
    url = reverse("surveys:answer_for_city", args=[kit.survey.slug])

    refreshed = refreshes(lambda: official.post(url, {**form_data(kit), "city": puebla.pk}))

    assert refreshes.result.status_code == 302
    assert refreshed == ["Puebla"]


def test_the_stop_link_in_an_email_refreshes_the_city(client, world, refreshes):
    from partnerships.invitations.links import stop_url

    contact = Person.objects.get(city=world.luoyang)
    path = stop_url(person=contact).removeprefix("http://127.0.0.1:8000")

    refreshed = refreshes(lambda: client.post(path))

    contact.refresh_from_db()
    assert (contact.has_contact_consent, refreshed) == (False, ["Luoyang"])
