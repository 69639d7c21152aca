"""The staff's matching settings (weights and rules): read by every run, changed here."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..models import MatchingSettings


@transaction.atomic
def matching_settings_update(*, by: AbstractBaseUser, **values) -> MatchingSettings:
    """Change the matching settings (weights, proposals per city, cooling-off, same-country...).
    They apply from the next run."""
    settings_row, _created = MatchingSettings.objects.select_for_update().get_or_create(
        id=MatchingSettings.SINGLETON_ID
    )
    for name, value in values.items():
        if name in {"id", "updated_at", "updated_by"} or not hasattr(settings_row, name):
            raise ValueError(f"Not a matching setting: {name}")
        setattr(settings_row, name, value)
    settings_row.updated_by = by
    settings_row.full_clean()
    settings_row.save()
    return settings_row
