"""Abuse resistance behind the proxy: one client address for axes, allauth and the API; lockouts by
account with a fixed cool-off; a per-address limit against password spraying; e-mail squatting."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from tests import factories
from travelsouth.client_ip import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "Blue-harbour-lanterns-7"
PROXY = "172.18.0.5"  # Caddy, as the app sees it


def via_proxy(client_address: str, forged: str = "") -> dict:
    """What Caddy sends: whatever X-Forwarded-For the client wrote, then the address it saw."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def login(client, email, password, **meta):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **meta)


@pytest.mark.parametrize(
    ("behind_proxy", "meta", "expected"),
    [
        (False, {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "198.51.100.7"),
        (True, via_proxy("198.51.100.7", forged="203.0.113.9"), "198.51.100.7"),
        (True, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (True, {"REMOTE_ADDR": PROXY}, PROXY),
    ],
)
def test_the_client_address_comes_from_the_one_trusted_proxy_only(settings, behind_proxy, meta, expected):
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", **meta)

    assert client_ip(request) == expected


def test_five_failures_from_many_addresses_lock_the_account_and_retries_do_not_extend_it(client, settings):
    settings.BEHIND_PROXY = True
    factories.user(email="li@luoyang.example", password=PASSWORD)
    factories.user(email="ana@cusco.example", password=PASSWORD)
    for number in range(settings.AXES_FAILURE_LIMIT):
        login(client, "li@luoyang.example", "wrong", **via_proxy(f"203.0.113.{number}"))
    locked_at = max(AccessAttempt.objects.values_list("attempt_time", flat=True))

    retries = [
        login(client, "li@luoyang.example", PASSWORD, **via_proxy("198.51.100.1")).status_code
        for _ in range(3)
    ]
    other_account = login(client, "ana@cusco.example", PASSWORD, **via_proxy("203.0.113.0"))
    client.logout()
    not_extended = max(AccessAttempt.objects.values_list("attempt_time", flat=True)) == locked_at
    AccessAttempt.objects.update(
        attempt_time=locked_at - dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    )
    after_cool_off = login(client, "li@luoyang.example", PASSWORD, **via_proxy("198.51.100.1"))

    assert retries == [429, 429, 429]
    assert not_extended
    assert other_account["Location"] == reverse("officials:dashboard")
    assert after_cool_off["Location"] == reverse("officials:dashboard")


def test_password_spraying_from_one_address_is_stopped_but_not_for_other_addresses(client, settings):
    settings.BEHIND_PROXY = True
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/15m/ip"}
    factories.user(email="li@luoyang.example", password=PASSWORD)
    sprayed = [
        login(client, f"person{number}@city.example", "Summer2026!", **via_proxy("203.0.113.66"))
        .context["form"]
        .non_field_errors()
        for number in range(4)
    ]

    blocked = login(client, "li@luoyang.example", PASSWORD, **via_proxy("203.0.113.66"))
    elsewhere = login(client, "li@luoyang.example", PASSWORD, **via_proxy("198.51.100.1"))

    assert ["many" in str(errors) for errors in sprayed] == [False, False, False, True]
    assert "Too many failed login attempts" in blocked.content.decode()
    assert elsewhere["Location"] == reverse("officials:dashboard")


def test_the_api_throttles_a_client_that_rotates_x_forwarded_for(client, settings):
    settings.BEHIND_PROXY = True
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "5/minute", "partner": "1000/minute"},
    }

    statuses = [
        client.get(
            "/api/v1/themes/",
            HTTP_ACCEPT="application/json",
            **via_proxy("198.51.100.7", forged=f"10.0.0.{n}"),
        ).status_code
        for n in range(8)
    ]
    other_client = client.get("/api/v1/themes/", HTTP_ACCEPT="application/json", **via_proxy("198.51.100.8"))

    assert statuses == [200] * 5 + [429] * 3
    assert other_client.status_code == 200


def test_without_the_proxy_setting_a_forged_header_is_not_a_new_client(client, settings):
    settings.BEHIND_PROXY = False
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "partner": "1000/minute"},
    }

    statuses = [
        client.get(
            "/api/v1/themes/", HTTP_ACCEPT="application/json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]


# --- E-mail squatting ----------------------------------------------------------------------------


def test_an_address_of_another_account_cannot_be_added(client):
    factories.user(email="owner@cusco.example")
    squatter = factories.user(email="squatter@example.org", password=PASSWORD)
    client.force_login(squatter)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "owner@cusco.example"})

    assert response.context["form"].errors["email"] == [
        "This address belongs to another account: it cannot be added."
    ]
    assert list(EmailAddress.objects.filter(user=squatter).values_list("email", flat=True)) == [
        "squatter@example.org"
    ]


def test_an_unverified_claim_does_not_block_the_owners_sign_up_nor_take_their_reset(client):
    squatter = factories.user(email="squatter@example.org", password=PASSWORD)
    client.force_login(squatter)
    client.post(reverse("account_email"), {"action_add": "", "email": "victim@cusco.example"})
    client.logout()
    assert EmailAddress.objects.filter(user=squatter, email="victim@cusco.example", verified=False).exists()
    mail.outbox.clear()
    cache.clear()  # allauth sends one confirmation per address every 3 minutes: the owner comes later

    signed_up = client.post(
        reverse("account_signup"),
        {"email": "victim@cusco.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    victim = get_user_model().objects.get(email="victim@cusco.example")

    assert signed_up.status_code == 302
    assert not EmailAddress.objects.filter(user=squatter, email="victim@cusco.example").exists()
    assert [message.to for message in mail.outbox] == [["victim@cusco.example"]]
    assert "confirm-email" in mail.outbox[0].body
    assert victim != squatter


def test_unverified_addresses_neither_sign_in_nor_receive_resets(client):
    squatter = factories.user(email="squatter@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=squatter, email="victim@cusco.example", verified=False, primary=False)
    mail.outbox.clear()

    signed_in = login(client, "victim@cusco.example", PASSWORD)
    client.post(reverse("account_reset_password"), {"email": "victim@cusco.example"})

    assert "_auth_user_id" not in client.session
    assert signed_in.status_code == 200
    assert all("password/reset/key" not in message.body for message in mail.outbox)


def test_a_verified_address_still_receives_its_reset(client):
    factories.user(email="owner@cusco.example", password=PASSWORD)
    mail.outbox.clear()

    client.post(reverse("account_reset_password"), {"email": "owner@cusco.example"})

    assert [message.to for message in mail.outbox] == [["owner@cusco.example"]]
    assert "password/reset/key" in mail.outbox[0].body
