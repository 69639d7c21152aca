"""Who may see or do what with partnerships: plain predicates used by views, API and admin alike."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from cities.permissions import is_city_official
from travelsouth.permissions import has_staff_permission

from .models import Partnership


def can_view_proposals(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Proposals are staff's working material until both cities accept (``view_proposal``)."""
    return has_staff_permission(user, "partnerships.view_proposal")


def can_view_invitations(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The invitation e-mails: who was written to, at which address (``view_invitation``)."""
    return has_staff_permission(user, "partnerships.view_invitation")


def is_partner_official(user: AbstractBaseUser | AnonymousUser, partnership: Partnership) -> bool:
    """An approved official of one of the partnership's two cities."""
    return is_city_official(user, partnership.city_a) or is_city_official(user, partnership.city_b)


def can_manage_partnership(user: AbstractBaseUser | AnonymousUser, partnership: Partnership) -> bool:
    """Record agreements and activities, answer check-ins, read the agreements' documents and each
    other's contacts: the two cities' officials, and UNOSSC staff."""
    return has_staff_permission(user, "partnerships.change_partnership") or is_partner_official(
        user, partnership
    )
