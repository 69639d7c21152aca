"""The timeline of a proposal or a partnership: who did what, when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .proposals import Partnership, Proposal


class TimelineEvent(models.Model):
    """Who did what, when, to a proposal or a partnership: a kind and its data, written only by
    partnerships/timeline.py, which also turns them into sentences in the reader's language."""

    class Kind(models.TextChoices):
        # Matching runs
        PROPOSED = "proposed", _("Proposed")
        RESCORED = "rescored", _("Rescored")
        SUPERSEDED = "superseded", _("Superseded")
        # Staff decisions and outcomes
        APPROVED = "approved", _("Approved")
        WAITING_FOR_CONTACT = "waiting_for_contact", _("Waiting for a contact")
        CONTACT_FOUND = "contact_found", _("Contact found")
        APPROVAL_EXPIRED = "approval_expired", _("Approval expired")
        MOVED_BACK = "moved_back", _("Moved back to review")
        REOPENED = "reopened", _("Reopened")
        REJECTED = "rejected", _("Rejected")
        THEMES_EDITED = "themes_edited", _("Themes edited")
        CONSENT_REQUESTED = "consent_requested", _("Consent requested")
        PARTNERSHIP_FORMED = "partnership_formed", _("Partnership formed")
        STATUS_CHANGED = "status_changed", _("Status changed")
        OUTCOME_UPDATED = "outcome_updated", _("Outcome updated")
        AGREEMENT_RECORDED = "agreement_recorded", _("Agreement recorded")
        ACTIVITY_RECORDED = "activity_recorded", _("Joint activity recorded")
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
        _("by (name)"),
        max_length=200,
        blank=True,
        help_text=_("The name of whoever acted, as it was then: a staff member or a city's contact."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
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
