"""Who counts as UNOSSC staff, and what each of them may do.

Being staff (Django's ``is_staff``) only opens the admin's door: every staff page, export, admin
action and API resource also asks for the specific Django permission behind it
(``has_staff_permission``). The permissions come from the roles in ``travelsouth/roles.py``, groups
made by a data migration; a superuser holds them all.
"""


def is_unossc_staff(user) -> bool:
    """A signed-in, active staff account (Django's ``is_staff``). On its own it grants nothing but the
    admin's login: pair it with a permission (``has_staff_permission``)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def has_staff_permission(user, permission: str) -> bool:
    """An active staff account holding ``permission`` ("app_label.codename"), directly, through one
    of its roles, or as a superuser."""
    return is_unossc_staff(user) and user.has_perm(permission)
