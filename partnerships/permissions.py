"""Who may see what of partnerships: plain predicates used by views, API and admin alike."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def can_view_proposals(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Proposals (and invitations) are staff's working material until both cities accept."""
    return bool(user.is_authenticated and user.is_staff)
