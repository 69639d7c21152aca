"""What the report loader took from the data set, so that a later load never overwrites a staff edit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoadedRow(models.Model):
    """One row the loader wrote from the data set, by its natural key, with the values it wrote.

    A later load compares the row as it is now with these values: a difference is an edit made since
    (in the admin, by a city official, by a service), and the loader leaves that row alone. A record
    whose row is gone means the row was deleted since, and it is not created again.
    """

    model = models.CharField(_("model"), max_length=100)
    key = models.CharField(_("natural key"), max_length=500)
    object_id = models.CharField(_("row id"), max_length=64)
    values = models.JSONField(_("values from the data set"), default=dict)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("row loaded from the data set")
        verbose_name_plural = _("rows loaded from the data set")
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="one_record_per_loaded_row")]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"
