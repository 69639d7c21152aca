from rest_framework.permissions import BasePermission


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


class StaffOnly(BasePermission):
    """Staff-only resources: anonymous callers get 401, partners and other users 403."""

    def has_permission(self, request, view):
        return is_staff(request.user)
