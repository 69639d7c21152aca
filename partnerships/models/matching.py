"""The matching's own models: the staff's settings (weights and rules), the runs with their
progress and result, and the matching index a one-city refresh reads (see docs/matching.md)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from travelsouth.models import TimeStampedModel


def _weight(label: str, default: float, help_text: str = "", minimum: float = 0) -> models.FloatField:
    return models.FloatField(
        label,
        default=default,
        validators=[MinValueValidator(minimum), MaxValueValidator(100)],
        help_text=help_text,
    )


class MatchingSettings(models.Model):
    """The staff's settings for matching: one row, id 1 (changed by partnerships/matching/configuration.py)."""

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
    non_invitable_factor = models.FloatField(
        _("rank of a pair nobody can be invited to yet (factor)"),
        default=0.7,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_(
            "0 to 1. A pair without a consenting contact on both sides is ranked at its score (less any "
            "webinar bonus) times this: an invitable pair of similar fit comes first."
        ),
    )
    non_invitable_uses_slots = models.BooleanField(
        _("pairs nobody can be invited to yet use a city's proposals"),
        default=True,
        help_text=_(
            "Off: such pairs have as many proposals per city of their own and never take an invitable "
            "pair's place."
        ),
    )
    clear_margin = models.FloatField(
        _("clearly better by (share)"),
        default=0.25,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_(
            "The selection never leaves out a pair this much better than a pair each of its two cities "
            "keeps instead (0.25: 25%): a city's clearly best pair is dropped only when a cap forces it."
        ),
    )
    weight_named_city = _weight(_("weight: a city named the other"), 8.0)
    weight_mutual = _weight(_("weight: both named each other (added)"), 4.0)
    weight_named_country = _weight(_("weight: a city named the other's country"), 3.0)
    weight_named_region = _weight(_("weight: a city named the other's region"), 1.5)
    weight_fit = _weight(
        _("weight: fit (per city)"),
        6.0,
        _(
            "Added for each city in proportion to the share of its asks (themes sought, priorities) the "
            "other meets with a good practice."
        ),
    )
    weight_complementary = _weight(
        _("weight: each city needs what the other offers (added)"),
        4.0,
        _("Added in proportion to the weaker of the two fits: two-way fit above one-sided fit."),
    )
    weight_declared_offer = models.FloatField(
        _("share: an offer declared but shown by no good practice"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 to 1: how much an offer counts when no published good practice shows it."),
    )
    weight_webinar = _weight(_("weight: a practice cited was presented at a webinar (once per pair)"), 0.5)
    weight_world_heritage = _weight(_("weight: both are World Heritage cities"), 1.0)
    weight_common_language = _weight(_("weight: a common working language"), 1.0)
    weight_nearby = _weight(
        _("weight: neighbours"),
        1.0,
        _(
            "Within the distance below of each other, or in the same sub-region when a city has no coordinates."
        ),
    )
    nearby_km = models.PositiveIntegerField(
        _("neighbours: at most this far apart (km)"),
        default=1500,
        validators=[MinValueValidator(1), MaxValueValidator(20000)],
    )
    weight_similar_size = _weight(
        _("weight: the same kind and size of place"),
        0.5,
        _(
            "Both cities (or both provinces) in the same population class: under 100,000, to 1 million, to 5 million, more."
        ),
    )
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
        INTERRUPTED = "interrupted", _("Interrupted")

    scope = models.CharField(_("scope"), max_length=4, choices=Scope.choices, default=Scope.ALL)
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
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
    # A running run beats while its worker lives; a run whose beats stopped is marked interrupted.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    last_queued_at = models.DateTimeField(_("last queued at"), null=True, blank=True)
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
        return self.status in {self.Status.FINISHED, self.Status.FAILED, self.Status.INTERRUPTED}

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
