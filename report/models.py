"""The report's data set as records: its decisions (where the report is silent or contradicts itself,
what the data set does), and what the loader took from it, so that a later load never overwrites a
staff edit."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import TranslatedContent


class Decision(TranslatedContent):
    """One judgement of the report's data set (the ``decisions`` section of its YAML), by its id.

    Pages link to a decision by its id (``report:decision``); ``templates/report/_decision.html``
    renders one. The texts are the data set's own, in English.
    """

    slug = models.SlugField(_("id"), max_length=60, unique=True)
    series = models.ForeignKey(
        "webinars.WebinarSeries",
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_decisions",
        help_text=_("The series whose data set makes the decision."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    issue = models.TextField(
        _("what the report says"), max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    decision = models.TextField(
        _("what the data set does"), max_length=5000, validators=[MaxLengthValidator(5000)]
    )

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("data set decision")
        verbose_name_plural = _("data set decisions")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("report:decision", kwargs={"slug": self.slug})


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
