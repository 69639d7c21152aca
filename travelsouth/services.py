"""Writes for project-wide rows: partner API tokens."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import PartnerToken

TOKEN_KEY_PREFIX = "ts_"
# Recording every use would turn each API read into a write; to the minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_token_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def partner_token_create(
    *, name: str, user: AbstractBaseUser, created_by: AbstractBaseUser | None, organisation=None
) -> tuple[PartnerToken, str]:
    """A new token and its key. The key is returned once and never stored: show it to staff now."""
    key = TOKEN_KEY_PREFIX + secrets.token_urlsafe(32)
    token = PartnerToken(
        name=name,
        user=user,
        organisation=organisation,
        created_by=created_by,
        key_prefix=key[:10],
        key_hash=hash_token_key(key),
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def partner_token_revoke(*, token: PartnerToken, at: dt.datetime | None = None) -> PartnerToken:
    """Stop accepting the token from now on. Revoking twice keeps the first time."""
    PartnerToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=at or timezone.now(), updated_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at", "updated_at"])
    return token


def partner_token_touch(*, token: PartnerToken, at: dt.datetime | None = None) -> None:
    """Record that the token was just used, at most once a minute (no write on most requests)."""
    at = at or timezone.now()
    if token.last_used_at is not None and at - token.last_used_at < LAST_USED_PRECISION:
        return
    PartnerToken.objects.filter(pk=token.pk).update(last_used_at=at)
    token.last_used_at = at
