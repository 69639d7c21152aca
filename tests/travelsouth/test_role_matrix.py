"""Every staff role against every staff door: pages, exports, admin actions, singleton settings and
the staff-only API. ``is_staff`` alone opens nothing but the admin's login; each door asks for its own
permission, which the roles made by the migration (travelsouth/roles.py) hold or do not hold."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from partnerships.models import MatchingSettings
from surveys.models import Survey, SurveyInvitee
from surveys.services import response_submit
from tests.surveys.builders import build_survey, invite
from travelsouth.roles import ROLES, roles_sync

pytestmark = pytest.mark.django_db

NO_ROLE = "Staff without a role"


@pytest.fixture
def world():
    kit = build_survey()
    invitee = invite(kit.survey, full_name="Secret Invitee", email="secret.invitee@city.example")
    response_submit(
        survey=kit.survey, respondent=invitee.person, city=None, answers=kit.answers(), language="en"
    )
    return {"kit": kit, "invitee": invitee}


def staff_with(role: str, django_user_model):
    account = django_user_model.objects.create_user(username=f"staff-{role}", password="x", is_staff=True)
    if role != NO_ROLE:
        account.groups.add(Group.objects.get(name=role))
    return account


def doors(world) -> dict:
    """name -> (method, url, payload, opened(response))"""
    survey, invitee = world["kit"].survey, world["invitee"]
    matching_settings, _ = MatchingSettings.objects.get_or_create(id=MatchingSettings.SINGLETON_ID)
    slug = survey.slug
    survey_list = reverse("admin:surveys_survey_changelist")
    invitee_list = reverse("admin:surveys_surveyinvitee_changelist")

    def action(name, pks):
        return {"action": name, "_selected_action": pks}

    def shows_link(response):
        return response.status_code == 200 and "/answer/" in response.content.decode()

    return {
        "results page": (
            "get",
            reverse("surveys:results", args=[slug]),
            None,
            lambda r: r.status_code == 200 and "Only UNOSSC staff" not in r.content.decode(),
        ),
        "answers.csv": (
            "get",
            reverse("surveys:export_answers", args=[slug]),
            None,
            lambda r: r.status_code == 200 and b"secret.invitee" in b"".join(r.streaming_content),
        ),
        "admin: publish results": (
            "post",
            survey_list,
            action("publish_results", [survey.pk]),
            lambda r: Survey.objects.get(pk=survey.pk).results_published,
        ),
        "admin: show links (survey)": (
            "post",
            survey_list,
            action("show_personal_links", [survey.pk]),
            shows_link,
        ),
        "admin: export links (invitees)": (
            "post",
            invitee_list,
            action("export_personal_links", [invitee.pk]),
            lambda r: r.status_code == 200 and r.streaming,
        ),
        "admin: invitee's link": (
            "get",
            reverse("admin:surveys_surveyinvitee_change", args=[invitee.pk]),
            None,
            shows_link,
        ),
        "admin: responses": (
            "get",
            reverse("admin:surveys_response_changelist"),
            None,
            lambda r: r.status_code == 200,
        ),
        "admin: people": (
            "get",
            reverse("admin:cities_person_changelist"),
            None,
            lambda r: r.status_code == 200,
        ),
        "admin: add invitation settings": (
            "get",
            reverse("admin:partnerships_invitationsettings_add"),
            None,
            lambda r: r.status_code == 200,
        ),
        "admin: change matching settings": (
            "get",
            reverse("admin:partnerships_matchingsettings_change", args=[matching_settings.pk]),
            None,
            lambda r: r.status_code == 200,
        ),
        "admin: proposals": (
            "get",
            reverse("admin:partnerships_proposal_changelist"),
            None,
            lambda r: r.status_code == 200,
        ),
        "admin: run matching": (
            "post",
            reverse("admin:partnerships_proposal_run_matching"),
            {},
            lambda r: r.status_code == 302,
        ),
        "admin: funnel": (
            "get",
            reverse("admin:partnerships_partnership_funnel"),
            None,
            lambda r: r.status_code == 200,
        ),
        "admin: good practices": (
            "get",
            reverse("admin:cities_goodpractice_changelist"),
            None,
            lambda r: r.status_code == 200,
        ),
        "API: proposals": ("get", "/api/v1/proposals/", None, lambda r: r.status_code == 200),
        "API: invitations": ("get", "/api/v1/invitations/", None, lambda r: r.status_code == 200),
        "API: responses": (
            "get",
            f"/api/v1/surveys/{survey.pk}/responses/",
            None,
            lambda r: r.status_code == 200 and b"Secret Invitee" in r.content,
        ),
    }


EXPECTED = {
    NO_ROLE: set(),
    "Viewer": {"results page", "admin: funnel", "admin: good practices"},
    "Content editor": {"admin: good practices"},
    "Survey manager": {
        "results page",
        "answers.csv",
        "admin: publish results",
        "admin: show links (survey)",
        "admin: export links (invitees)",
        "admin: invitee's link",
        "admin: responses",
        "admin: people",
        "API: responses",
    },
    "Broker": {
        "results page",
        "admin: people",
        "admin: proposals",
        "admin: run matching",
        "admin: funnel",
        "admin: good practices",
        "API: proposals",
        "API: invitations",
    },
}


def test_the_roles_are_the_ones_the_matrix_covers():
    assert set(ROLES) | {NO_ROLE} == set(EXPECTED)
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def _held() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=list(ROLES))
    }


def test_each_group_holds_exactly_its_roles_permissions_and_every_name_is_real():
    from django.apps import apps

    after_migrations = _held()
    roles_sync(apps)  # strict: an unknown permission raises

    wanted = {name: set(permissions) for name, permissions in ROLES.items()}
    assert after_migrations == wanted
    assert _held() == wanted


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_opens_exactly_its_doors(role, world, client, django_user_model, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(staff_with(role, django_user_model))

    opened = set()
    for name, (method, url, payload, is_open) in doors(world).items():
        Survey.objects.filter(pk=world["kit"].survey.pk).update(results_published=False)
        if method == "get":
            response = client.get(url, HTTP_ACCEPT="application/json" if url.startswith("/api/") else "*/*")
        else:
            response = client.post(url, payload)
        if is_open(response):
            opened.add(name)

    assert sorted(opened) == sorted(EXPECTED[role])


def test_a_superuser_opens_every_door(world, client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser(username="root", email="root@unossc.example", password="x")
    )

    closed = []
    for name, (method, url, payload, is_open) in doors(world).items():
        Survey.objects.filter(pk=world["kit"].survey.pk).update(results_published=False)
        response = client.get(url, HTTP_ACCEPT="*/*") if method == "get" else client.post(url, payload)
        if not is_open(response):
            closed.append(name)

    assert closed == []
    assert SurveyInvitee.objects.count() == 1
