"""Staff create partner tokens in the admin (the key is shown once) and revoke them there."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from travelsouth.models import PartnerToken
from travelsouth.services import hash_token_key

from .conftest import auth, get_json

pytestmark = pytest.mark.django_db


def test_staff_create_a_token_and_see_its_key_once(staff_client, partner_user):
    response = staff_client.post(
        reverse("admin:travelsouth_partnertoken_add"),
        {"name": "UN-Habitat data team", "user": partner_user.pk},
    )

    key = re.search(r'<code id="partner-token-key"[^>]*>([^<]+)</code>', response.content.decode()).group(1)
    token = PartnerToken.objects.get()
    change_page = staff_client.get(reverse("admin:travelsouth_partnertoken_change", args=[token.pk]))
    assert (token.name, token.user, token.key_hash, token.key_prefix) == (
        "UN-Habitat data team",
        partner_user,
        hash_token_key(key),
        key[:10],
    )
    assert key not in change_page.content.decode()
    assert get_json(Client(), "/api/v1/themes/", **auth(key))[0] == 200


def test_staff_revoke_tokens_from_the_list(staff_client, partner_key):
    token = PartnerToken.objects.get()

    staff_client.post(
        reverse("admin:travelsouth_partnertoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert get_json(Client(), "/api/v1/themes/", **auth(partner_key))[0] == 401


def test_token_admin_lists_tokens_for_staff_only(staff_client, partner_key):
    changelist = reverse("admin:travelsouth_partnertoken_changelist")

    staff_page = staff_client.get(changelist)
    anonymous = Client().get(changelist)

    assert [str(token) for token in staff_page.context["cl"].result_list] == [
        f"Partner data team ({partner_key[:10]}…)"
    ]
    assert anonymous.status_code == 302
