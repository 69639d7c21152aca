"""The data set's decisions: where the report is silent or contradicts itself, what the data set does."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Decision(models.Model):
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
    issue = models.TextField(_("what the report says"))
    decision = models.TextField(_("what the data set does"))

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("data set decision")
        verbose_name_plural = _("data set decisions")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("report:decision", kwargs={"slug": self.slug})
