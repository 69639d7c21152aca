"""Who counts as UNOSSC staff: the one check behind every staff-only page, export and API resource."""


def is_unossc_staff(user) -> bool:
    """A signed-in, active staff account (Django's ``is_staff``): UNOSSC staff brokering partnerships."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)
