from rest_framework.permissions import BasePermission

from travelsouth.permissions import has_staff_permission


class StaffOnly(BasePermission):
    """Staff-only resources, for staff holding ``permission`` ("app_label.codename"): anonymous
    callers get 401, partners and other users (staff without the permission too) 403. Use
    ``staff_permission(...)`` to make one."""

    permission: str = ""

    def has_permission(self, request, view):
        return bool(self.permission) and has_staff_permission(request.user, self.permission)


def staff_permission(permission: str) -> type[StaffOnly]:
    """A permission class for staff holding ``permission``."""
    return type(f"StaffOnly[{permission}]", (StaffOnly,), {"permission": permission})
