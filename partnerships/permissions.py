"""Who may see what of partnerships: plain predicates used by views, API and admin alike."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from travelsouth.permissions import is_unossc_staff


def can_view_proposals(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Proposals (and invitations) are staff's working material until both cities accept."""
    return is_unossc_staff(user)
