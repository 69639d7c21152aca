"""Proposed partnerships between two cities, and the partnerships formed from them."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from travelsouth.models import TimeStampedModel


class Proposal(TimeStampedModel):
    """A proposed partnership between two cities, stored once per pair (``city_a`` has the lower id).

    States move only through partnerships/lifecycle.py (its docstring has the whole table), each move
    checking the current state: pending -> approved (both cities invited) or waiting (approved, but a
    city has nobody to invite yet; invited the moment a contact consents) -> accepted | declined;
    pending -> rejected | superseded; waiting -> expired; staff can move an approval back to review
    and reopen a closed proposal.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        WAITING = "waiting", _("Approved, waiting for a contact")
        APPROVED = "approved", _("Approved: cities invited")
        ACCEPTED = "accepted", _("Accepted by both cities")
        DECLINED = "declined", _("Declined by a city")
        REJECTED = "rejected", _("Rejected by staff")
        SUPERSEDED = "superseded", _("Superseded")
        EXPIRED = "expired", _("Approval expired without a contact")

    OPEN_STATUSES = (Status.PENDING, Status.WAITING, Status.APPROVED)
    # Approved by staff, whether or not its cities could be invited yet.
    APPROVED_STATUSES = (Status.WAITING, Status.APPROVED)

    city_a = models.ForeignKey(
        "cities.City", verbose_name=_("city A"), on_delete=models.CASCADE, related_name="+"
    )
    city_b = models.ForeignKey(
        "cities.City", verbose_name=_("city B"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(
        _("reasons"), default=list, blank=True, help_text=_("Structured reasons: kind, weight and evidence.")
    )
    themes = models.ManyToManyField(
        "cities.Theme", verbose_name=_("proposed themes"), blank=True, related_name="proposals"
    )
    is_triangular = models.BooleanField(
        _("triangular"),
        default=False,
        help_text=_("Yes when one of the partners is outside the global South."),
    )
    is_invitable = models.BooleanField(
        _("invitable"),
        default=False,
        help_text=_("Whether both cities had a contact who agreed to be contacted, when last scored."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(
        _("reason for the decision"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    run = models.ForeignKey(
        "partnerships.MatchingRun",
        verbose_name=_("made by run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    last_run = models.ForeignKey(
        "partnerships.MatchingRun",
        verbose_name=_("last scored by run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approval_round = models.PositiveSmallIntegerField(
        _("approval round"),
        default=1,
        help_text=_("Counts the times staff approved the pair afresh after moving it back or reopening it."),
    )
    themes_edited = models.BooleanField(
        _("themes edited by staff"),
        default=False,
        help_text=_("Yes once staff edited the proposed themes: matching runs then leave them alone."),
    )

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("partnership proposal")
        verbose_name_plural = _("partnership proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(city_a__lt=models.F("city_b")), name="proposal_city_a_before_city_b"
            ),
            models.UniqueConstraint(
                fields=["city_a", "city_b"],
                condition=Q(status__in=["pending", "waiting", "approved"]),
                name="one_open_proposal_per_pair",
            ),
        ]
        indexes = [
            # The review list's order, unfiltered and by status (bench/admin.py).
            models.Index(fields=["-score", "id"], name="proposal_score_id"),
            models.Index(fields=["status", "-score", "id"], name="proposal_status_score_id"),
            models.Index(fields=["city_b", "status"], name="proposal_city_b_status"),
        ]

    def __str__(self) -> str:
        return f"{self.city_a} - {self.city_b}"


class Partnership(TimeStampedModel):
    """A partnership formed when both cities accepted a proposal."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MOU_SIGNED = "mou_signed", _("MoU signed")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="partnership"
    )
    city_a = models.ForeignKey(
        "cities.City", verbose_name=_("city A"), on_delete=models.PROTECT, related_name="+"
    )
    city_b = models.ForeignKey(
        "cities.City", verbose_name=_("city B"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    formed_at = models.DateTimeField(_("formed at"))
    themes = models.ManyToManyField(
        "cities.Theme", verbose_name=_("themes"), blank=True, related_name="partnerships"
    )
    outcome_notes = models.TextField(
        _("staff notes on the outcome"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )

    class Meta:
        ordering = ["-formed_at"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(city_a__lt=models.F("city_b")), name="partnership_city_a_before_city_b"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city_a} - {self.city_b}"
