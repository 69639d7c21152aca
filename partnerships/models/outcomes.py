"""What a partnership brings about: the agreements its cities sign, their joint activities, and the
check-ins that ask each city how it is going."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from travelsouth.models import TimeStampedModel

from .proposals import Partnership


def _agreement_path(agreement: "Agreement", filename: str) -> str:
    # A fresh name per upload: a document's address is never guessed from another's.
    return f"agreements/{agreement.partnership_id}/{uuid.uuid4().hex}.pdf"


class Agreement(TimeStampedModel):
    """What two partner cities signed: a letter of intent, an MoU, a twinning agreement."""

    class Kind(models.TextChoices):
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
        MOU = "mou", _("Memorandum of understanding")
        TWINNING = "twinning", _("Twinning (sister-city) agreement")
        OTHER = "other", _("Other agreement")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    signed_on = models.DateField(_("signed on"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    document = models.FileField(
        _("document (PDF)"),
        upload_to=_agreement_path,
        blank=True,
        help_text=_("Optional. Only the two cities' officials and UNOSSC staff can download it."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.signed_on:%Y-%m-%d})"


class JointActivity(TimeStampedModel):
    """Something two partner cities did or plan to do together."""

    class Kind(models.TextChoices):
        EXCHANGE_VISIT = "exchange_visit", _("Exchange visit")
        TRAINING = "training", _("Training")
        JOINT_PROMOTION = "joint_promotion", _("Joint promotion")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(
        _("description"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    themes = models.ManyToManyField(
        "cities.Theme", verbose_name=_("themes"), blank=True, related_name="joint_activities"
    )
    sdgs = models.ManyToManyField(
        "cities.SustainableDevelopmentGoal",
        verbose_name=_("SDGs"),
        blank=True,
        related_name="joint_activities",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="joint_activity_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CheckIn(TimeStampedModel):
    """How a partnership is going, asked of each city some days after forming (30, 90, 180 by default).
    Answered once per city, by any of its officials, through the e-mailed link or their dashboard."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="check_ins"
    )
    city = models.ForeignKey(
        "cities.City", verbose_name=_("city"), on_delete=models.CASCADE, related_name="+"
    )
    after_days = models.PositiveSmallIntegerField(_("days after forming"))
    due_at = models.DateTimeField(_("due at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "cities.Person",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    still_active = models.BooleanField(_("still active"), null=True, blank=True)
    what_happened = models.TextField(
        _("what happened"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    help_needed = models.TextField(
        _("help needed"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )

    class Meta:
        ordering = ["due_at", "city_id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "city", "after_days"], name="one_check_in_per_city_and_day"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(still_active__isnull=False),
                name="answered_check_in_says_if_active",
            ),
        ]
        indexes = [models.Index(fields=["answered_at", "due_at"], name="check_in_due")]

    def __str__(self) -> str:
        return f"{self.partnership} · {self.city} · {self.after_days}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
