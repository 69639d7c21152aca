"""Surveys after webinars: questions and options, responses and answers, and responses' history.

The models keep a survey consistent on their own (``clean()`` and constraints); what a whole survey
still lacks (a choice question without options) is listed by ``surveys.selectors.survey_problems``.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import TranslatedContent, localized
from travelsouth.models import TimeStampedModel

# Path segments under /surveys/ that are not survey slugs.
RESERVED_SURVEY_SLUGS = frozenset({"answer"})


class Survey(TranslatedContent, TimeStampedModel):
    class ClosingDatePrecision(models.TextChoices):
        DAY = "day", _("Full date")
        DAY_MONTH = "day_month", _("Day and month: the source gives no year")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    webinar = models.ForeignKey(
        "webinars.Webinar",
        verbose_name=_("webinar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    series = models.ForeignKey(
        "webinars.WebinarSeries",
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
        help_text=_("For a survey about the whole series rather than one webinar."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    closes_at_precision = models.CharField(
        _("closing date given as"),
        max_length=9,
        choices=ClosingDatePrecision.choices,
        default=ClosingDatePrecision.DAY,
        help_text=_("When the source gives no year, the year of the closing date is the data set's reading."),
    )
    is_anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Results and exports never show who answered.")
    )
    results_published = models.BooleanField(_("results published"), default=False)
    is_reconstructed = models.BooleanField(_("reconstructed"), default=False)
    note = models.TextField(_("note"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(webinar__isnull=False) | Q(series__isnull=False),
                name="survey_about_webinar_or_series",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        # In the reader's language: the admin's evidence lines and choices name the survey by it.
        return localized(self, "title")

    def clean(self) -> None:
        errors = {}
        if self.slug in RESERVED_SURVEY_SLUGS:
            errors["slug"] = _("This address is used by the portal itself; choose another slug.")
        if self.webinar_id is None and self.series_id is None:
            errors["webinar"] = _("Choose the webinar the survey follows, or the series it is about.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("A survey must close after it opens.")
        if (
            self.is_anonymous
            and self.pk
            and self.questions.filter(purpose__in=Question.BROKERING_PURPOSES).exists()
        ):
            errors["is_anonymous"] = _(
                "An anonymous survey cannot ask for priorities, partner cities or consent: its answers "
                "are never tied to a city or a person. Change those questions' purpose first."
            )
        if errors:
            raise ValidationError(errors)

    def state_at(self, at: dt.datetime) -> str:
        """``"not_open"``, ``"open"`` or ``"closed"``: answers are accepted from opening until closing."""
        if at < self.opens_at:
            return "not_open"
        if at >= self.closes_at:
            return "closed"
        return "open"

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def closing_year_unstated(self) -> bool:
        return self.closes_at_precision == self.ClosingDatePrecision.DAY_MONTH

    @property
    def display_closing_date(self) -> str:
        """The closing date as the source gives it: "31 December" when it gives no year."""
        closes_on = timezone.localtime(self.closes_at).date()
        return date_format(closes_on, "MONTH_DAY_FORMAT" if self.closing_year_unstated else "DATE_FORMAT")


class Question(TranslatedContent):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        CITY_CHOICE = "city_choice", _("Choice of cities")
        RATING = "rating", _("Rating scale")
        FREE_TEXT = "free_text", _("Free text")

    class Purpose(models.TextChoices):
        """What brokering does with the answer (see surveys/services.py)."""

        NONE = "", _("Information only")
        PRIORITIES = "priorities", _("Development priorities")
        PARTNER_CITIES = "partner_cities", _("Cities to partner with")
        CONSENT = "consent", _("Consent to be contacted")
        TRAINING = "training", _("Wants training invitations")
        COUNTRY_INTEREST = "country_interest", _("Interest in a country's cities (yes or no)")

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.CITY_CHOICE)
    # Purposes that tie an answer to a city or a person, which an anonymous survey must not do.
    BROKERING_PURPOSES = (
        Purpose.PRIORITIES,
        Purpose.PARTNER_CITIES,
        Purpose.CONSENT,
        Purpose.COUNTRY_INTEREST,
    )
    # The kinds of question each purpose can be asked with.
    KINDS_FOR_PURPOSE = {
        Purpose.PRIORITIES: (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE),
        Purpose.PARTNER_CITIES: (Kind.CITY_CHOICE,),
        Purpose.CONSENT: (Kind.YES_NO,),
        Purpose.TRAINING: (Kind.YES_NO,),
        Purpose.COUNTRY_INTEREST: (Kind.YES_NO,),
    }

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    result_label = models.CharField(
        _("result label"),
        max_length=255,
        blank=True,
        help_text=_("How results phrase it, e.g. 'were satisfied with webinar materials and contents'."),
    )
    required = models.BooleanField(_("required"), default=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, blank=True, default="")
    rating_min = models.PositiveSmallIntegerField(_("lowest rating"), null=True, blank=True)
    rating_max = models.PositiveSmallIntegerField(_("highest rating"), null=True, blank=True)
    country = models.ForeignKey(
        "cities.Country",
        verbose_name=_("country asked about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "For a question on interest in a country's cities: a yes names the country, a no excludes it."
        ),
    )
    asked_if_yes_to = models.ForeignKey(
        "self",
        verbose_name=_("asked only after a yes to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )

    class Meta:
        ordering = ["survey", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="question_order_unique_in_survey"),
            models.CheckConstraint(
                condition=~Q(kind="rating")
                | Q(
                    rating_min__isnull=False, rating_max__isnull=False, rating_max__gt=models.F("rating_min")
                ),
                name="rating_question_has_scale",
            ),
            # Two consent questions in one survey could contradict each other.
            models.UniqueConstraint(
                fields=["survey", "purpose"],
                condition=Q(purpose__in=["consent", "training"]),
                name="one_consent_and_one_training_question_per_survey",
                violation_error_message=_("This survey already has a question with this purpose."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.kind == self.Kind.RATING:
            if self.rating_min is None or self.rating_max is None:
                errors.setdefault("rating_max", []).append(
                    _("A rating question needs a scale: give its lowest and highest rating.")
                )
            elif self.rating_max <= self.rating_min:
                errors.setdefault("rating_max", []).append(_("The highest rating must be above the lowest."))
        elif self.rating_min is not None or self.rating_max is not None:
            errors.setdefault("rating_max", []).append(_("Only a rating question has a scale."))
        allowed_kinds = self.KINDS_FOR_PURPOSE.get(self.purpose)
        if allowed_kinds and self.kind not in allowed_kinds:
            errors.setdefault("purpose", []).append(
                _("A question with this purpose must be of kind: %(kinds)s.")
                % {"kinds": ", ".join(str(self.Kind(kind).label) for kind in allowed_kinds)}
            )
        if (self.purpose == self.Purpose.COUNTRY_INTEREST) != (self.country_id is not None):
            errors.setdefault("country", []).append(
                _(
                    "A question on interest in a country's cities names that country, and only such a question does."
                )
            )
        if self.purpose in self.BROKERING_PURPOSES and self.survey_id and self.survey.is_anonymous:
            errors.setdefault("purpose", []).append(
                _("An anonymous survey cannot ask this: its answers are never tied to a city or a person.")
            )
        if self.asked_if_yes_to_id:
            condition = self.asked_if_yes_to
            if condition.kind != self.Kind.YES_NO:
                errors.setdefault("asked_if_yes_to", []).append(
                    _("A follow-up can only depend on a yes/no question.")
                )
            if self.survey_id and condition.survey_id != self.survey_id:
                errors.setdefault("asked_if_yes_to", []).append(
                    _("A follow-up must depend on a question of the same survey.")
                )
            if self.order is not None and condition.order >= self.order:
                errors.setdefault("asked_if_yes_to", []).append(
                    _("A follow-up must come after the question it depends on.")
                )
        if errors:
            raise ValidationError(errors)

    @property
    def display_text(self) -> str:
        return localized(self, "text")

    @property
    def has_options(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def display_result_label(self) -> str:
        return self.result_label or self.display_text


class Option(TranslatedContent):
    """A choice of a choice question. For a choice of cities, each option names a city or is 'other'."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("label"), max_length=200)
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    priority = models.ForeignKey(
        "partnerships.DevelopmentPriority",
        verbose_name=_("development priority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["question", "order"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="option_order_unique_in_question"),
            models.UniqueConstraint(fields=["question", "city"], name="option_city_unique_in_question"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if not self.question_id:
            return
        errors = {}
        if not self.question.has_options:
            errors["question"] = _("Only choice questions have options.")
        if self.city_id and self.question.kind != Question.Kind.CITY_CHOICE:
            errors["city"] = _("Only an option of a choice-of-cities question names a city.")
        if self.priority_id and self.question.kind == Question.Kind.CITY_CHOICE:
            errors["priority"] = _("An option of a choice-of-cities question names a city, not a priority.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_label(self) -> str:
        return localized(self, "label")
