"""Who sees what: anonymous callers and partners never see staff-only or personal data."""

import json

import pytest
from django.utils import timezone

from cities.models import CityMembership
from tests import factories
from travelsouth.models import PartnerToken
from travelsouth.services import partner_token_revoke

from .conftest import SECRET_ANSWER, SECRET_EMAIL, auth, get_json

pytestmark = pytest.mark.django_db

PUBLIC_ENDPOINTS = [
    "/api/v1/cities/",
    "/api/v1/countries/",
    "/api/v1/organisations/",
    "/api/v1/themes/",
    "/api/v1/good-practices/",
    "/api/v1/webinars/",
    "/api/v1/surveys/",
    "/api/v1/partnerships/",
]


def _every_public_document(client, data, **headers) -> str:
    """Every public list and detail, and the survey's results, as one text to search."""
    urls = [*PUBLIC_ENDPOINTS]
    for endpoint in PUBLIC_ENDPOINTS:
        _, page = get_json(client, endpoint, **headers)
        urls += [row["url"] for row in page["results"]]
    urls.append(f"/api/v1/surveys/{data['survey'].pk}/results/")
    urls.append(f"/api/v1/surveys/{data['survey'].pk}/results/?format=csv")
    documents = []
    for url in urls:
        response = client.get(url, HTTP_ACCEPT="application/json", **headers)
        assert response.status_code == 200, url
        documents.append(response.content.decode())
    return "\n".join(documents)


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_public_documents_never_show_emails_or_raw_answers(
    client, sensitive_data, partner_key, high_rate_limits, who
):
    headers = auth(partner_key) if who == "partner" else {}

    text = _every_public_document(client, sensitive_data, **headers)

    assert "Private Person" in text  # the speaker is public...
    assert SECRET_EMAIL not in text  # ...their e-mail is not
    assert "@" not in text.replace("@context", "")
    assert "consent" not in text
    assert SECRET_ANSWER not in text


def test_anonymous_callers_must_authenticate_for_staff_resources(client, sensitive_data):
    survey_id = sensitive_data["survey"].pk

    statuses = [
        get_json(client, url)
        for url in [
            "/api/v1/proposals/",
            f"/api/v1/proposals/{sensitive_data['proposal'].pk}/",
            "/api/v1/invitations/",
            f"/api/v1/invitations/{sensitive_data['invitation'].pk}/",
            f"/api/v1/surveys/{survey_id}/responses/",
        ]
    ]

    assert (
        statuses
        == [
            (
                401,
                {
                    "error": {
                        "status": 401,
                        "code": "not_authenticated",
                        "detail": "Authentication credentials were not provided.",
                    }
                },
            )
        ]
        * 5
    )


def test_partners_are_refused_staff_resources(client, sensitive_data, partner_key):
    survey_id = sensitive_data["survey"].pk
    urls = ["/api/v1/proposals/", "/api/v1/invitations/", f"/api/v1/surveys/{survey_id}/responses/"]

    answers = [get_json(client, url, **auth(partner_key)) for url in urls]

    refused = {
        "status": 403,
        "code": "permission_denied",
        "detail": "You do not have permission to perform this action.",
    }
    assert answers == [(403, {"error": refused})] * 3


@pytest.mark.parametrize("how", ["token", "session"])
def test_staff_see_proposals_and_raw_answers(client, staff_user, staff_key, sensitive_data, how):
    headers = auth(staff_key) if how == "token" else {}
    if how == "session":
        client.force_login(staff_user)
    survey_id = sensitive_data["survey"].pk

    _, proposals = get_json(client, "/api/v1/proposals/", **headers)
    _, responses = get_json(client, f"/api/v1/surveys/{survey_id}/responses/", **headers)

    # Equal scores: newest first. The accepted one is the partnership's.
    assert [
        (row["city_a"]["name"], row["city_b"]["name"], row["status"]) for row in proposals["results"]
    ] == [
        ("Oaxaca", "Lima", "accepted"),
        ("Oaxaca", "Cusco", "pending"),
    ]
    assert [(r["respondent"], [a["text"] for a in r["answers"]]) for r in responses] == [
        ("Private Person", ["", SECRET_ANSWER, ""])
    ]
    assert SECRET_EMAIL not in json.dumps(responses)


def test_unknown_or_revoked_token_is_refused_with_401(client, partner_key):
    token = PartnerToken.objects.get()
    partner_token_revoke(token=token)

    revoked = get_json(client, "/api/v1/cities/", **auth(partner_key))
    unknown = get_json(client, "/api/v1/cities/", **auth("ts_not-a-real-key"))

    failed = {"status": 401, "code": "authentication_failed", "detail": "Invalid or revoked API token."}
    assert revoked == unknown == (401, {"error": failed})


def test_token_use_is_recorded_at_most_once_a_minute(client, partner_key):
    token = PartnerToken.objects.get()

    client.get("/api/v1/themes/", **auth(partner_key))
    first_use = PartnerToken.objects.get().last_used_at
    client.get("/api/v1/themes/", **auth(partner_key))

    assert token.last_used_at is None
    assert first_use is not None and timezone.now() - first_use < timezone.timedelta(seconds=30)
    assert PartnerToken.objects.get().last_used_at == first_use


def test_keys_are_stored_only_as_hashes(partner_key):
    token = PartnerToken.objects.get()

    stored = json.dumps(list(PartnerToken.objects.values()), default=str)

    assert partner_key not in stored
    assert token.key_prefix == partner_key[:10]


def test_anonymous_callers_are_throttled_before_partners(client, settings, partner_key):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "partner": "4/minute"},
    }

    anonymous = [client.get("/api/v1/themes/").status_code for _ in range(3)]
    partner = [client.get("/api/v1/themes/", **auth(partner_key)).status_code for _ in range(5)]
    refused = client.get("/api/v1/themes/")

    assert anonymous == [200, 200, 429]
    assert partner == [200, 200, 200, 200, 429]
    body = refused.json()["error"]
    assert (body["status"], body["code"], 0 < body["retry_after"] <= 60) == (429, "throttled", True)
    assert refused["Retry-After"] == str(body["retry_after"])


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, partner_key, sensitive_data, method):
    city_url = f"/api/v1/cities/{sensitive_data['city'].pk}/"

    on_list = getattr(client, method)(
        "/api/v1/cities/", data="{}", content_type="application/json", **auth(partner_key)
    )
    on_detail = getattr(client, method)(
        city_url, data="{}", content_type="application/json", **auth(partner_key)
    )

    expected = {
        "error": {
            "status": 405,
            "code": "method_not_allowed",
            "detail": f'Method "{method.upper()}" not allowed.',
        }
    }
    assert (
        (on_list.status_code, on_list.json()) == (on_detail.status_code, on_detail.json()) == (405, expected)
    )


def test_unpublished_survey_results_are_hidden_except_from_staff(client, staff_key, sensitive_data):
    survey = sensitive_data["survey"]
    survey.results_published = False
    survey.save(update_fields=["results_published"])
    url = f"/api/v1/surveys/{survey.pk}/results/"

    anonymous = get_json(client, url)
    listed = get_json(client, "/api/v1/surveys/")[1]["results"]
    staff_status, _ = get_json(client, url, **auth(staff_key))

    not_found = {"status": 404, "code": "not_found", "detail": "No Survey matches the given query."}
    assert (anonymous, listed, staff_status) == ((404, {"error": not_found}), [], 200)


def test_officials_see_an_open_survey_but_not_its_unpublished_results(
    client, django_user_model, sensitive_data
):
    survey = sensitive_data["survey"]
    survey.results_published = False
    survey.closes_at = timezone.now() + timezone.timedelta(days=7)
    survey.save(update_fields=["results_published", "closes_at"])
    official = django_user_model.objects.create_user(username="official", email="official@city.example")
    CityMembership.objects.create(
        user=official, city=sensitive_data["city"], status=CityMembership.Status.APPROVED
    )
    client.force_login(official)

    detail_status, _ = get_json(client, f"/api/v1/surveys/{survey.pk}/")
    results = get_json(client, f"/api/v1/surveys/{survey.pk}/results/")

    refused = {
        "status": 403,
        "code": "permission_denied",
        "detail": "The results of this survey are not published.",
    }
    assert (detail_status, results) == (200, (403, {"error": refused}))


def test_unknown_paths_and_ids_answer_json_404(client, sensitive_data):
    unknown_path = get_json(client, "/api/v1/no-such-thing/")
    unknown_id = get_json(client, "/api/v1/cities/999999/")

    assert unknown_path == (
        404,
        {"error": {"status": 404, "code": "not_found", "detail": "No such API endpoint: see /api/v1/docs/."}},
    )
    assert unknown_id == (
        404,
        {"error": {"status": 404, "code": "not_found", "detail": "No City matches the given query."}},
    )


def test_staff_see_invitations_without_addresses(client, staff_key, sensitive_data):
    _, invitations = get_json(client, "/api/v1/invitations/", **auth(staff_key))

    assert [
        (row["kind"], row["status"], row["recipient"], row["city"]["name"], row["proposal"])
        for row in invitations["results"]
    ] == [
        (
            "introduction",
            "pending",
            "Private Person",
            "Oaxaca",
            f"http://testserver/api/v1/proposals/{sensitive_data['proposal'].pk}/",
        )
    ]
    assert SECRET_EMAIL not in json.dumps(invitations)


def test_practices_of_a_city_awaiting_review_are_in_neither_the_list_nor_a_detail(client):
    public = factories.good_practice(city_=factories.city(name="Approved"), title="Shown")
    hidden = factories.good_practice(
        city_=factories.city(name="Pending", review_status="pending"), title="Hidden"
    )

    _, page = get_json(client, "/api/v1/good-practices/")
    detail = client.get(f"/api/v1/good-practices/{hidden.pk}/", HTTP_ACCEPT="application/json")

    assert [row["title"] for row in page["results"]] == [public.title]
    assert detail.status_code == 404


def test_raw_answers_of_an_anonymous_survey_say_nothing_of_who_answered(client, staff_user):
    from surveys.exports import answers_rows
    from surveys.selectors import answers_for_export
    from surveys.services import response_submit
    from tests.surveys.builders import build_survey

    kit = build_survey(is_anonymous=True)
    # The first to answer rated 5, the second 2: the API's order must not tell who was first.
    for rating in (5, 2):
        response_submit(
            survey=kit.survey,
            respondent=factories.person(full_name=f"Rated {rating}"),
            city=factories.city(name=f"Town {rating}"),
            answers=kit.answers(rating=rating),
            language="es",
        )
    client.force_login(staff_user)

    status, rows = get_json(client, f"/api/v1/surveys/{kit.survey.pk}/responses/")

    assert status == 200
    who = ("id", "submitted_at", "language", "city", "respondent")
    assert [[row[field] for field in who] for row in rows] == [[None] * 5] * 2
    ratings = [next(a["rating"] for a in row["answers"] if a["rating"] is not None) for row in rows]
    assert ratings == [2, 5]  # sorted by the answers, not by time
    assert "Rated" not in json.dumps(rows) and "Town" not in json.dumps(rows)
    # The CSV export follows the same rule.
    exported = answers_rows(
        survey=kit.survey,
        questions=list(kit.survey.questions.order_by("order")),
        responses=answers_for_export(survey=kit.survey, user=staff_user),
    )
    assert "Town 5" not in json.dumps(exported)
