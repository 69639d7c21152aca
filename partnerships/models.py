"""What cities need and want: development priorities and registered partnership interests.

Proposals, partnerships and invitations build on these (see the matching and invitations work).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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


def _weight(label: str, default: float, help_text: str = "", minimum: float = 0) -> models.FloatField:
    return models.FloatField(
        label,
        default=default,
        validators=[MinValueValidator(minimum), MaxValueValidator(100)],
        help_text=help_text,
    )


class MatchingSettings(models.Model):
    """The staff's settings for matching: one row, id 1 (see partnerships/services.py)."""

    SINGLETON_ID = 1

    proposals_per_city = models.PositiveSmallIntegerField(
        _("proposals per city and run"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "At most this many proposals awaiting review per city; chosen across all cities at once."
        ),
    )
    cooling_off_days = models.PositiveIntegerField(
        _("cooling-off period (days)"),
        default=180,
        validators=[MaxValueValidator(3650)],
        help_text=_("A pair declined or rejected is not proposed again for this many days."),
    )
    allow_same_country = models.BooleanField(_("propose pairs in the same country"), default=False)
    allow_triangular = models.BooleanField(
        _("propose triangular pairs"),
        default=True,
        help_text=_("Pairs where one city is outside the global South (such as Venice)."),
    )
    min_score = models.FloatField(
        _("lowest score proposed"), default=0, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    bucket_cap = models.PositiveSmallIntegerField(
        _("partners considered per theme, priority, country or region"),
        default=16,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
        help_text=_("Keeps runs fast on many cities; larger values look further."),
    )
    weight_named_city = _weight(_("weight: a city named the other"), 8.0)
    weight_mutual = _weight(_("weight: both named each other (added)"), 4.0)
    weight_named_country = _weight(_("weight: a city named the other's country"), 3.0)
    weight_named_region = _weight(_("weight: a city named the other's region"), 1.5)
    weight_theme_sought = _weight(_("weight: a theme sought that the other offers"), 1.0)
    weight_priority = _weight(_("weight: a priority the other's themes address"), 1.0)
    weight_practice_evidence = _weight(_("weight: the offer is shown by a good practice (added)"), 0.5)
    weight_webinar = _weight(_("weight: that practice was presented at a webinar (added)"), 0.5)
    weight_world_heritage = _weight(_("weight: both are World Heritage cities"), 1.0)
    weight_common_language = _weight(_("weight: a common working language"), 1.0)
    weight_triangular = _weight(
        _("weight: triangular pair"),
        0.0,
        _("Added to triangular pairs; below 0 to favour South-South pairs."),
        minimum=-100,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="matching_settings_single_row")]

    def __str__(self) -> str:
        return str(_("Matching settings"))


class MatchingRun(TimeStampedModel):
    """One run of the matching engine, over all cities or one, with its progress and its result."""

    class Scope(models.TextChoices):
        ALL = "all", _("All cities")
        CITY = "city", _("One city")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    scope = models.CharField(_("scope"), max_length=4, choices=Scope.choices, default=Scope.ALL)
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(_("started by"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("to do"), default=0)
    candidate_count = models.PositiveIntegerField(_("candidate pairs"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    superseded_count = models.PositiveIntegerField(_("superseded"), default=0)
    notes = models.JSONField(
        _("named pairs not proposed"),
        default=list,
        blank=True,
        help_text=_("For each pair a city named that got no proposal: why (the cap, a rule, a refusal)."),
    )
    settings_used = models.JSONField(_("settings used"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="all", city__isnull=True) | Q(scope="city"),
                name="matching_run_city_only_for_one_city_runs",
            ),
        ]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""
        target = self.city or self.get_scope_display()
        return f"{target} {when}".strip()

    @property
    def is_done(self) -> bool:
        return self.status in {self.Status.FINISHED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.FINISHED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))


class IndexEntry(models.Model):
    """One entry of the matching index that a one-city refresh reads (matching_buckets.py): an
    approved city is a member of a bucket (it offers the theme, a theme addressing the priority, it
    lies in the country or region), with its strength there, or a seeker of it (its current interest
    points at it). Kept by the matching itself: a full run rewrites every entry, a one-city refresh
    its own city's. Nobody edits it."""

    class Kind(models.IntegerChoices):
        MEMBER_THEME = 1
        MEMBER_PRIORITY = 2
        MEMBER_COUNTRY = 3
        MEMBER_REGION = 4
        SEEKER_THEME = 5
        SEEKER_PRIORITY = 6
        SEEKER_COUNTRY = 7
        SEEKER_REGION = 8

    pk = models.CompositePrimaryKey("city", "kind", "bucket")
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    bucket = models.IntegerField()  # the theme's, priority's, country's or region's id
    # Derived data, rewritten wholesale by every full run: no database constraint to check on each
    # of its rows (deleting a city through Django still deletes its entries).
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    # 2 a practice presented at a webinar, 1 a practice, 0 an offer declared only (members); 0 (seekers).
    strength = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # A bucket's window is a range of this index: strongest first, then by city.
        indexes = [models.Index(fields=["kind", "bucket", "-strength", "city"], name="matching_index_rank")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.bucket}: city {self.city_id} ({self.strength})"


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
        MatchingRun,
        verbose_name=_("made by run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    last_run = models.ForeignKey(
        MatchingRun,
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


# Invitations are models of this app, kept in their own module (partnerships/invitations/models.py).
from .invitations.models import Invitation, InvitationSettings, TrainingWorkshop  # noqa: E402, F401
