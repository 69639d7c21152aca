"""Reads for project-wide rows: partner API tokens."""

from .models import PartnerToken
from .services import hash_token_key


def active_partner_token(*, key: str) -> PartnerToken | None:
    """The unrevoked token whose key this is, with its (active) user; None for anything else."""
    return (
        PartnerToken.objects.filter(
            key_hash=hash_token_key(key), revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
