from rest_framework.permissions import BasePermission

from travelsouth.permissions import is_unossc_staff


class StaffOnly(BasePermission):
    """Staff-only resources: anonymous callers get 401, partners and other users 403."""

    def has_permission(self, request, view):
        return is_unossc_staff(request.user)
