"""Invitations: every e-mail the portal sends to a city contact is one row, written with its cause.

The delivery design is described in docs/invitations.md; the code that sends is partnerships/invitations/.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import TranslatedContent, localized
from travelsouth.models import TimeStampedModel


class InvitationSettings(models.Model):
    """The values staff set for reminders and expiry. One row (id 1), edited in the admin.

    Without the row the defaults below apply, so a fresh installation works untouched.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)

    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days without an answer before a reminder is sent."),
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_("How many reminders an unanswered invitation gets."),
    )
    expire_after_days = models.PositiveSmallIntegerField(
        _("expire after the last reminder (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days after the last reminder before the invitation expires and its links stop working."),
    )
    answer_link_valid_days = models.PositiveSmallIntegerField(
        _("answer links valid for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Each e-mail's answer links stop working this many days after it was written."),
    )
    first_check_in_days = models.PositiveSmallIntegerField(
        _("first check-in (days after forming)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    second_check_in_days = models.PositiveSmallIntegerField(
        _("second check-in (days after forming)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    third_check_in_days = models.PositiveSmallIntegerField(
        _("third check-in (days after forming)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(1095)],
    )
    waiting_approval_expire_days = models.PositiveSmallIntegerField(
        _("an approval waiting for a contact expires after (days)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Staff can reopen an expired approval."),
    )
    unanswered_after_days = models.PositiveSmallIntegerField(
        _("introductions count as unanswered after (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("When they appear in the staff's work queue."),
    )
    staff_digest_every_hours = models.PositiveSmallIntegerField(
        _("staff digest of new requests at most every (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text=_("New membership requests and proposed cities reach the brokering staff in one e-mail."),
    )
    last_staff_digest_at = models.DateTimeField(
        _("last staff digest at"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("invitation settings")
        verbose_name_plural = _("invitation settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="invitation_settings_single_row"),
            models.CheckConstraint(
                condition=Q(second_check_in_days__gt=models.F("first_check_in_days"))
                & Q(third_check_in_days__gt=models.F("second_check_in_days")),
                name="invitation_settings_check_ins_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Invitation settings"))


class TrainingWorkshop(TranslatedContent, TimeStampedModel):
    """A future training workshop; respondents who asked for training are invited to it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, validators=[MaxLengthValidator(5000)])
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(
        _("where"), max_length=255, blank=True, help_text=_("A place, or 'Online' with the platform.")
    )
    registration_url = models.URLField(_("registration address"), blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training workshop")
        verbose_name_plural = _("training workshops")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_description(self) -> str:
        return localized(self, "description")


class CheckInProgress(models.TextChoices):
    """How a partnership is going, as a city reports it at a check-in."""

    GOING_WELL = "going_well", _("Going well: we are working together")
    SLOW = "slow", _("Slowly: we are in touch, with little joint activity yet")
    STALLED = "stalled", _("Stalled: we have not been in touch")


class InvitationQuerySet(models.QuerySet):
    def close(self, *, reason: str, now) -> int:
        """Cancel these rows with ``reason``, releasing any sender's lease. Returns how many."""
        return self.update(
            status=Invitation.Status.CANCELLED,
            closed_reason=reason,
            lease_id="",
            lease_expires_at=None,
            updated_at=now,
        )

    def not_handed_over(self) -> "InvitationQuerySet":
        """Rows still waiting to be sent: a message already handed to the mail server is left to finish."""
        return self.filter(NOT_HANDED_OVER)


class Invitation(TimeStampedModel):
    """One e-mail to one person, and what became of it.

    Delivery: pending -> sending (claimed under a lease) -> sent; a failed attempt goes back to
    pending with a later ``due_at`` until attempts run out (failed). Answers: sent -> answered, or
    expired after the reminders. Cancelled: no longer wanted (consent withdrawn, the proposal
    decided, staff). Every move is a conditional update in partnerships/invitations/.
    """

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Partnership introduction")
        REMINDER = "reminder", _("Reminder")
        SURVEY = "survey", _("Survey invitation")
        TRAINING = "training", _("Training invitation")
        CHECK_IN = "check_in", _("Partnership check-in")
        PARTNERSHIP_FORMED = "partnership_formed", _("Partnership formed: notice")
        PROPOSAL_DECLINED = "proposal_declined", _("Proposal declined: notice")
        MEMBERSHIP_DECISION = "membership_decision", _("Decision on a membership request")
        CONSENT_REQUEST = "consent_request", _("Request for consent to be contacted")
        STAFF_DIGEST = "staff_digest", _("Requests awaiting review: digest for staff")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent, awaiting answer")
        ANSWERED = "answered", _("Answered")
        EXPIRED = "expired", _("Expired without answer")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REPORTED = "reported", _("Check-in answered")
        RESPONDED = "responded", _("Survey answered")
        CONSENTED = "consented", _("Agreed to be contacted")

    class CloseReason(models.TextChoices):
        NO_CONSENT = "no_consent", _("No consent to be contacted")
        NO_EMAIL = "no_email", _("No e-mail address")
        PROPOSAL_CLOSED = "proposal_closed", _("The proposal is no longer open")
        CITY_ANSWERED = "city_answered", _("A colleague answered for the city")
        ALREADY_ANSWERED = "already_answered", _("Already answered")
        SURVEY_CLOSED = "survey_closed", _("The survey is closed")
        WORKSHOP_PAST = "workshop_past", _("The workshop has taken place")
        PARTNERSHIP_CLOSED = "partnership_closed", _("The partnership is closed")
        STAFF = "staff", _("Cancelled by staff")
        PLACEHOLDER = "placeholder", _("A placeholder person, not a real contact")

    # Kinds that ask for an answer, and so get reminders and expire.
    ANSWERABLE_KINDS = (Kind.INTRODUCTION, Kind.SURVEY, Kind.CHECK_IN)
    # Kinds that answer a person's own request (staff's decision on it): sent whether or not the person
    # agreed to be contacted about partnerships, and not cancelled when they withdraw that consent.
    TRANSACTIONAL_KINDS = (Kind.MEMBERSHIP_DECISION, Kind.CONSENT_REQUEST, Kind.STAFF_DIGEST)
    # A row in these states may still be sent (sending: only before the hand-over).
    OPEN_FOR_SENDING = (Status.PENDING, Status.SENDING)

    objects = InvitationQuerySet.as_manager()

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    person = models.ForeignKey(
        "cities.Person", verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="invitations"
    )
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("for city"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The city the recipient answers for."),
    )
    proposal = models.ForeignKey(
        "partnerships.Proposal",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    survey_invitee = models.ForeignKey(
        "surveys.SurveyInvitee",
        verbose_name=_("survey invitee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    workshop = models.ForeignKey(
        TrainingWorkshop,
        verbose_name=_("training workshop"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    membership = models.ForeignKey(
        "cities.CityMembership",
        verbose_name=_("membership request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    reminder_of = models.ForeignKey(
        "self",
        verbose_name=_("reminder of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    proposal_round = models.PositiveSmallIntegerField(
        _("approval round"),
        null=True,
        blank=True,
        help_text=_("For an introduction or a notice: the proposal's approval round it belongs to."),
    )
    check_in = models.ForeignKey(
        "partnerships.CheckIn",
        verbose_name=_("check-in"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    reminder_number = models.PositiveSmallIntegerField(_("reminder number"), null=True, blank=True)
    check_in_after_days = models.PositiveSmallIntegerField(_("check-in after (days)"), null=True, blank=True)

    # Delivery. Due times are columns, never broker countdowns.
    due_at = models.DateTimeField(_("due at"))
    last_queued_at = models.DateTimeField(_("last queued at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times the mail server answered with a refusal.")
    )
    retrying_since = models.DateTimeField(
        _("retrying since"),
        null=True,
        blank=True,
        help_text=_("The first failed try: failed tries are retried with backoff for a day from then."),
    )
    lease_id = models.CharField(_("lease"), max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    # Set when the beat first finds the lease run out and gives its sender a last grace period.
    lease_checked_at = models.DateTimeField(_("lease checked at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(
        _("handed over at"),
        null=True,
        blank=True,
        help_text=_(
            "When the message was committed to the mail server: from then on it is never sent again."
        ),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.EmailField(_("sent to"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    # Answer.
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_note = models.TextField(
        _("note with the answer"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    answer_data = models.JSONField(_("answer details"), default=dict, blank=True)
    closed_reason = models.CharField(_("why closed"), max_length=20, choices=CloseReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(fields=["status", "due_at"], name="invitation_status_due"),
            models.Index(fields=["person", "status"], name="invitation_person_status"),
            # The admin list's order, unfiltered and by status or kind (bench/admin.py).
            models.Index(fields=["-created_at", "-id"], name="invitation_created_id"),
            models.Index(fields=["status", "-created_at", "-id"], name="invitation_status_created_id"),
            models.Index(fields=["kind", "-created_at", "-id"], name="invitation_kind_created_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "proposal_round", "person"],
                condition=Q(kind="introduction"),
                name="one_introduction_per_person_and_proposal",
            ),
            models.UniqueConstraint(
                fields=["survey_invitee"],
                condition=Q(kind="survey"),
                name="one_survey_invitation_per_invitee",
            ),
            models.UniqueConstraint(
                fields=["workshop", "person"],
                condition=Q(kind="training"),
                name="one_training_invitation_per_person_and_workshop",
            ),
            models.UniqueConstraint(
                fields=["partnership", "person", "check_in_after_days"],
                condition=Q(kind="check_in"),
                name="one_check_in_per_person_and_day",
            ),
            models.UniqueConstraint(
                fields=["reminder_of", "reminder_number"],
                condition=Q(kind="reminder"),
                name="reminders_numbered_once",
            ),
            models.UniqueConstraint(
                fields=["proposal", "proposal_round", "person", "kind"],
                condition=Q(kind__in=["partnership_formed", "proposal_declined"]),
                name="one_notice_per_person_and_proposal",
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(kind="membership_decision"),
                name="one_decision_email_per_membership",
            ),
            models.CheckConstraint(
                condition=~Q(kind="membership_decision") | Q(membership__isnull=False),
                name="membership_decision_names_membership",
            ),
            models.CheckConstraint(
                condition=~Q(kind="introduction") | Q(proposal__isnull=False, city__isnull=False),
                name="introduction_names_proposal_and_city",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reminder") | Q(reminder_of__isnull=False, reminder_number__isnull=False),
                name="reminder_names_its_invitation",
            ),
            models.CheckConstraint(
                condition=~Q(kind="survey") | Q(survey_invitee__isnull=False),
                name="survey_invitation_names_invitee",
            ),
            models.CheckConstraint(
                condition=~Q(kind="training") | Q(workshop__isnull=False),
                name="training_invitation_names_workshop",
            ),
            models.CheckConstraint(
                condition=~Q(kind="check_in")
                | Q(partnership__isnull=False, check_in_after_days__isnull=False),
                name="check_in_names_partnership_and_day",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | (Q(lease_expires_at__isnull=False) & ~Q(lease_id="")),
                name="sending_invitation_holds_a_lease",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "answered", "expired"]) | Q(sent_at__isnull=False),
                name="delivered_invitation_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.person}"

    @property
    def answerable(self) -> "Invitation":
        """The invitation whose answer this e-mail asks for: itself, or the original of a reminder."""
        return self.reminder_of if self.kind == self.Kind.REMINDER else self


# Rows still waiting to be sent (a message already handed to the mail server is left to finish).
NOT_HANDED_OVER = Q(status__in=Invitation.OPEN_FOR_SENDING, handed_over_at__isnull=True)
# Rows that need the recipient's consent to be contacted.
NEEDS_CONSENT = ~Q(kind__in=Invitation.TRANSACTIONAL_KINDS)
