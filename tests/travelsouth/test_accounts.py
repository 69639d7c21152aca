"""Accounts: sign-up with e-mail verification, log in and out, password rules and reset, lockout."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Blue-harbour-lanterns-7"


def link_in(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def sign_up(client, email="ana@cusco.example", password=PASSWORD, prefix=""):
    return client.post(
        f"{prefix}/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_there_are_no_default_accounts():
    assert get_user_model().objects.count() == 0


def test_sign_up_sends_a_verification_link_that_logs_the_new_user_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert [message.to for message in mail.outbox] == [["ana@cusco.example"]]
    assert mail.outbox[0].subject == "[Travel South] Confirm your e-mail address"
    confirm_url = link_in(mail.outbox[0])
    confirm_page = client.get(confirm_url)
    confirmed = client.post(confirm_url)
    dashboard = client.get(reverse("officials:dashboard"))

    assert "Confirm your e-mail address" in confirm_page.content.decode()
    assert confirmed.status_code == 302
    assert dashboard.status_code == 200
    assert dashboard.context["user"].email == "ana@cusco.example"


def test_an_unverified_user_cannot_log_in(client):
    factories.user(email="new@city.example", password=PASSWORD, verified=False)

    response = client.post(reverse("account_login"), {"login": "new@city.example", "password": PASSWORD})

    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("officials:dashboard")).status_code == 302


def test_weak_passwords_are_refused_next_to_the_field(client):
    response = sign_up(client, password="password123")

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == [
        "This password is too short. It must contain at least 12 characters.",
        "This password is too common.",
    ]
    assert 'id="id_password1_error"' in content
    assert get_user_model().objects.count() == 0


def test_short_and_numeric_passwords_are_refused(client):
    response = sign_up(client, password="12345678")

    assert response.context["form"].errors["password1"] == [
        "This password is too short. It must contain at least 12 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
    ]


def test_log_in_and_log_out(client):
    factories.user(email="li@luoyang.example", password=PASSWORD)

    logged_in = client.post(reverse("account_login"), {"login": "li@luoyang.example", "password": PASSWORD})
    logged_out = client.post(reverse("account_logout"))

    assert logged_in["Location"] == reverse("officials:dashboard")
    assert logged_out["Location"] == reverse("home")
    assert client.get(reverse("officials:dashboard")).status_code == 302


def test_password_reset_by_e_mail_link(client):
    factories.user(email="li@luoyang.example", password=PASSWORD)

    client.post(reverse("account_reset_password"), {"email": "li@luoyang.example"})
    reset_url = link_in(mail.outbox[0])
    form_url = client.get(reset_url)["Location"]  # allauth moves the key out of the address
    client.post(
        form_url, {"password1": "Another-long-passphrase-9", "password2": "Another-long-passphrase-9"}
    )
    old = client.post(reverse("account_login"), {"login": "li@luoyang.example", "password": PASSWORD})
    new = client.post(
        reverse("account_login"), {"login": "li@luoyang.example", "password": "Another-long-passphrase-9"}
    )

    assert mail.outbox[0].subject == "[Travel South] Reset your password"
    assert old.status_code == 200
    assert new["Location"] == reverse("officials:dashboard")


def test_login_locks_after_repeated_failures_and_the_lock_expires(client, settings):
    factories.user(email="li@luoyang.example", password=PASSWORD)
    credentials = {"login": "li@luoyang.example", "password": "wrong-password"}

    failures = [
        client.post(reverse("account_login"), credentials).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    locked = client.post(reverse("account_login"), {**credentials, "password": PASSWORD})
    # The cool-off passes: the failed attempts are now older than it.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    )
    unlocked = client.post(reverse("account_login"), {**credentials, "password": PASSWORD})

    assert failures == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert unlocked["Location"] == reverse("officials:dashboard")


def test_the_lockout_is_per_account_and_address(client, settings):
    factories.user(email="li@luoyang.example", password=PASSWORD)
    factories.user(email="ana@cusco.example", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": "li@luoyang.example", "password": "wrong"})

    other = client.post(reverse("account_login"), {"login": "ana@cusco.example", "password": PASSWORD})

    assert other["Location"] == reverse("officials:dashboard")


def test_account_e_mails_follow_the_language_of_the_page(client):
    sign_up(client, email="luis@gdl.example", prefix="/es")
    sign_up(client, email="wang@luoyang.example", prefix="/zh-hans")

    spanish, chinese = mail.outbox
    assert spanish.subject == "[Travel South] Confirme su dirección de correo electrónico"
    assert "/es/accounts/confirm-email/" in spanish.body
    assert "Para confirmarla, abra este enlace:" in spanish.body
    assert chinese.subject == "[Travel South] 请确认您的电子邮件地址"
    assert "/zh-hans/accounts/confirm-email/" in chinese.body


def test_account_pages_render_in_the_three_languages(client):
    pages = {
        prefix: client.get(f"{prefix}/accounts/login/").content.decode() for prefix in ["", "/es", "/zh-hans"]
    }

    assert "<h1>Log in</h1>" in pages[""]
    assert "<h1>Iniciar sesión</h1>" in pages["/es"]
    assert "<h1>登录</h1>" in pages["/zh-hans"]


def test_every_account_page_wears_the_site_layout(client):
    client.force_login(factories.user(email="li@luoyang.example"))
    pages = [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
    ]

    responses = {page: client.get(page) for page in pages}

    assert {page: response.status_code for page, response in responses.items()} == dict.fromkeys(pages, 200)
    assert [
        page for page, response in responses.items() if 'class="skip-link"' not in response.content.decode()
    ] == []


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/zh-hans", "密码太短。密码必须包含至少 12 个字符。"),
        ("/es", "La contraseña es demasiado corta. Debe contener al menos 12 caracteres."),
    ],
)
def test_a_too_short_password_is_refused_in_the_pages_language(client, prefix, expected):
    response = client.post(
        f"{prefix}/accounts/signup/",
        {"email": "li@xian.example", "password1": "Sh0rt!", "password2": "Sh0rt!"},
    )

    page = response.content.decode()
    assert expected in page
    assert "This password is too short" not in page
