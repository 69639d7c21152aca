"""What cities need and want: development priorities and registered partnership interests."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import TranslatedContent, localized
from travelsouth.models import TimeStampedModel


class DevelopmentPriority(TranslatedContent):
    """A development priority a city can state (the survey's list: tourism, transport, ...).

    ``themes`` are the themes whose good practices address this priority: they let the matching
    engine tell that a city's practice answers another city's priority.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    themes = models.ManyToManyField(
        "cities.Theme",
        verbose_name=_("addressed by themes"),
        blank=True,
        related_name="priorities",
        through="PriorityThemeLink",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("development priority")
        verbose_name_plural = _("development priorities")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class PriorityThemeLink(models.Model):
    """A theme whose good practices address a development priority, and how strongly (0-1): the
    matching credits a practice on the theme against a city's priority at this strength. Staff edit
    the links in the admin; docs/matching.md says why each default link holds."""

    # The table and columns of the former plain many-to-many (migration 0019 keeps its rows).
    priority = models.ForeignKey(
        DevelopmentPriority,
        verbose_name=_("development priority"),
        on_delete=models.CASCADE,
        db_column="developmentpriority_id",
        related_name="theme_links",
    )
    theme = models.ForeignKey(
        "cities.Theme", verbose_name=_("theme"), on_delete=models.CASCADE, related_name="priority_links"
    )
    strength = models.FloatField(
        _("strength"),
        default=1.0,
        validators=[MinValueValidator(0.1), MaxValueValidator(1.0)],
        help_text=_(
            "1: the theme is the priority itself; 0.5: it helps with part of it. A good practice on the "
            "theme counts this much towards a city's priority."
        ),
    )
    rationale = models.CharField(
        _("why it addresses the priority"),
        max_length=300,
        blank=True,
        help_text=_("One line a broker could defend to the city."),
    )

    class Meta:
        db_table = "partnerships_developmentpriority_themes"
        ordering = ["priority__order", "-strength", "theme__name"]
        unique_together = [("priority", "theme")]
        verbose_name = _("theme addressing a priority")
        verbose_name_plural = _("themes addressing the priority")

    def __str__(self) -> str:
        return f"{self.theme} -> {self.priority} ({self.strength:g})"


class Interest(TimeStampedModel):
    """A city's registered partnership interest. One current row per city; older rows are its history."""

    class Source(models.TextChoices):
        WEB_FORM = "web_form", _("Web form")
        SURVEY = "survey", _("Survey answer")
        STAFF = "staff", _("Entered by staff")
        WEBINAR = "webinar", _("Statement at a webinar")

    city = models.ForeignKey(
        "cities.City", verbose_name=_("city"), on_delete=models.CASCADE, related_name="interests"
    )
    is_current = models.BooleanField(_("current"), default=True)
    priorities = models.ManyToManyField(
        DevelopmentPriority, verbose_name=_("development priorities"), blank=True, related_name="interests"
    )
    themes_sought = models.ManyToManyField(
        "cities.Theme", verbose_name=_("themes sought"), blank=True, related_name="sought_by"
    )
    themes_offered = models.ManyToManyField(
        "cities.Theme", verbose_name=_("themes offered"), blank=True, related_name="offered_by"
    )
    partner_cities = models.ManyToManyField(
        "cities.City", verbose_name=_("cities wanted as partners"), blank=True, related_name="wanted_by"
    )
    partner_countries = models.ManyToManyField(
        "cities.Country", verbose_name=_("countries wanted"), blank=True, related_name="wanted_by"
    )
    partner_regions = models.ManyToManyField(
        "cities.Region", verbose_name=_("regions wanted"), blank=True, related_name="wanted_by"
    )
    working_languages = models.ManyToManyField(
        "cities.Language", verbose_name=_("working languages"), blank=True, related_name="interests"
    )
    # A stated "no": the city does not want partners there (a survey's "no" to a country's cities, or the
    # form). Matching excludes or demotes such pairs, as staff set.
    excluded_countries = models.ManyToManyField(
        "cities.Country", verbose_name=_("countries not wanted"), blank=True, related_name="not_wanted_by"
    )
    excluded_regions = models.ManyToManyField(
        "cities.Region", verbose_name=_("regions not wanted"), blank=True, related_name="not_wanted_by"
    )
    message = models.TextField(
        _("message"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Yes when it is shown on the city's public page.")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_note = models.CharField(_("source detail"), max_length=255, blank=True)
    survey_response = models.ForeignKey(
        "surveys.Response",
        verbose_name=_("from survey response"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("Set when the city's officials withdrew the interest: the city then has none."),
    )
    # Where each item came from: {relation: {id: {"source": "web_form" | "survey" | "staff" | "webinar",
    # "response": id?, "survey": slug?, "at": iso date}}}. Kept from one interest to the next, so the
    # history can say, item by item, who stated it and when (see partnerships/interests.py).
    item_sources = models.JSONField(_("where each item came from"), default=dict, blank=True)

    class Meta:
        ordering = ["city", "-created_at"]
        verbose_name = _("partnership interest")
        verbose_name_plural = _("partnership interests")
        constraints = [
            models.UniqueConstraint(
                fields=["city"], condition=Q(is_current=True), name="one_current_interest_per_city"
            ),
            models.CheckConstraint(
                condition=Q(is_current=True, superseded_at__isnull=True)
                | Q(is_current=False, superseded_at__isnull=False),
                name="interest_superseded_iff_not_current",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.city}: {self.get_source_display()} ({self.created_at:%Y-%m-%d})"
            if self.created_at
            else str(self.city)
        )
