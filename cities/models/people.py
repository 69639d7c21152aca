"""People (speakers, respondents, officials), their consent to be contacted, and their memberships
of the cities they act for."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from travelsouth.i18n import InterfaceLanguage, TranslatedContent, language_choices, localized
from travelsouth.models import TimeStampedModel
from travelsouth.validation import single_line


class Person(TranslatedContent, TimeStampedModel):
    """A speaker, moderator, survey respondent or city official."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    honorific = models.CharField(
        _("honorific"),
        max_length=20,
        blank=True,
        help_text=_("Mr., Ms., Dr., H.E. ..."),
        validators=[single_line],
    )
    full_name = models.CharField(_("full name"), max_length=150, validators=[single_line])
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Position, as printed."), validators=[single_line]
    )
    city = models.ForeignKey(
        "cities.City",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    organisation = models.ForeignKey(
        "cities.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=language_choices,
        default=InterfaceLanguage.ENGLISH,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Consent to be contacted: given_at set and withdrawn_at empty. Every change is also logged in
    # ContactConsentEvent, so withdrawing and giving again never loses the history.
    contact_consent_given_at = models.DateTimeField(
        _("consent to be contacted given at"), null=True, blank=True
    )
    contact_consent_source = models.CharField(
        _("consent source"), max_length=255, blank=True, help_text=_("How and where consent was given.")
    )
    contact_consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    is_reconstructed = models.BooleanField(
        _("reconstructed"),
        default=False,
        help_text=_("Yes when the record was created to reproduce the report's published figures."),
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="person_email_unique_when_given"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.full_name}".strip()

    @property
    def display_title(self) -> str:
        """The position in the visitor's language, else as printed."""
        return localized(self, "title")

    @property
    def has_contact_consent(self) -> bool:
        return self.contact_consent_given_at is not None and self.contact_consent_withdrawn_at is None

    @property
    def affiliation(self) -> str:
        return str(self.organisation or self.city or "")


class ContactConsentEvent(models.Model):
    """The history of a person's consent to be contacted: every grant and withdrawal."""

    class Action(models.TextChoices):
        GIVEN = "given", _("Given")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consent_events"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("at"))
    source = models.CharField(_("source"), max_length=255)
    # Consent belongs to an address: the one it was given (or withdrawn) for.
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        ordering = ["person", "at", "id"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_action_display()} {self.at:%Y-%m-%d}"


class CityMembership(TimeStampedModel):
    """A user's request to act for a city as one of its officials, and UNOSSC staff's decision on it.

    Only an approved membership lets the user edit anything of the city (cities/permissions.py).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        LEFT = "left", _("Left")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="city_memberships",
    )
    city = models.ForeignKey(
        "cities.City", verbose_name=_("city"), on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    role = models.CharField(
        _("role"),
        max_length=200,
        blank=True,
        help_text=_("Position in the city's administration."),
        validators=[single_line],
    )
    message = models.TextField(
        _("message to staff"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
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
    # Set when the decision e-mail went out, so a retried task never sends it twice.

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("city membership")
        verbose_name_plural = _("city memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "city"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_open_membership_per_user_and_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.city} ({self.get_status_display()})"
