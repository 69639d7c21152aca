"""What cities need and want: development priorities and registered partnership interests.

Proposals, partnerships and invitations build on these (see the matching and invitations work).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import localized
from travelsouth.models import TimeStampedModel


class DevelopmentPriority(models.Model):
    """A development priority a city can state (the survey's list: tourism, transport, ...).

    ``themes`` are the themes whose good practices address this priority: they let the matching
    engine tell that a city's practice answers another city's priority.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    themes = models.ManyToManyField(
        "cities.Theme", verbose_name=_("addressed by themes"), blank=True, related_name="priorities"
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
    message = models.TextField(_("message"), blank=True, max_length=2000)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the city's public page.")
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


class Proposal(TimeStampedModel):
    """A proposed partnership between two cities, stored once per pair (``city_a`` has the lower id).

    States move only through services in partnerships/services.py, each checking the current state:
    pending -> approved (staff) -> accepted (both cities) | declined (one city);
    pending -> rejected (staff); pending -> superseded (the basis disappeared on a rerun).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved: cities invited")
        ACCEPTED = "accepted", _("Accepted by both cities")
        DECLINED = "declined", _("Declined by a city")
        REJECTED = "rejected", _("Rejected by staff")
        SUPERSEDED = "superseded", _("Superseded")

    OPEN_STATUSES = (Status.PENDING, Status.APPROVED)

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
        _("triangular"), default=False, help_text=_("One partner is outside the global South.")
    )
    is_invitable = models.BooleanField(
        _("invitable"),
        default=False,
        help_text=_("Both cities have a contact who consented to be contacted."),
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
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
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
    themes_edited = models.BooleanField(
        _("themes edited by staff"),
        default=False,
        help_text=_("Runs leave the proposed themes alone once staff edited them."),
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
                condition=Q(status__in=["pending", "approved"]),
                name="one_open_proposal_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-score"]),
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
    outcome_notes = models.TextField(_("outcome notes"), blank=True)
    joint_activities = models.TextField(_("joint activities"), blank=True)

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


class TimelineEvent(models.Model):
    """Who did what, when, to a proposal or a partnership."""

    class Kind(models.TextChoices):
        # Matching runs
        PROPOSED = "proposed", _("Proposed")
        RESCORED = "rescored", _("Rescored")
        SUPERSEDED = "superseded", _("Superseded")
        # Staff decisions and outcomes
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        THEMES_EDITED = "themes_edited", _("Themes edited")
        PARTNERSHIP_FORMED = "partnership_formed", _("Partnership formed")
        STATUS_CHANGED = "status_changed", _("Status changed")
        OUTCOME_UPDATED = "outcome_updated", _("Outcome updated")
        # Invitations and the cities' answers
        INVITATIONS_CREATED = "invitations_created", _("Invitations created")
        NO_CONTACT = "no_contact", _("No contact to invite")
        INVITATION_EXPIRED = "invitation_expired", _("Invitation expired")
        INVITATION_CANCELLED = "invitation_cancelled", _("Invitation cancelled")
        INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
        CITY_ACCEPTED = "city_accepted", _("City accepted")
        CITY_DECLINED = "city_declined", _("City declined")
        CHECK_IN = "check_in", _("Check-in answered")

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="timeline",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="timeline",
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(
        _("by (label)"),
        max_length=200,
        blank=True,
        help_text=_("Who acted when it was not a user: a city, the system."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | Q(partnership__isnull=False),
                name="timeline_event_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    @staticmethod
    def label_of(user) -> str:
        """How a user is named in a timeline: full name, else username."""
        if user is None:
            return ""
        return (user.get_full_name() if hasattr(user, "get_full_name") else "") or user.get_username()


# Models of this app kept in their own modules: the matching's settings, runs and index
# (partnerships/matching_models.py) and invitations (partnerships/invitations/models.py).
from .invitations.models import Invitation, InvitationSettings, TrainingWorkshop  # noqa: E402, F401
from .matching_models import IndexEntry, MatchingRun, MatchingSettings  # noqa: E402, F401
