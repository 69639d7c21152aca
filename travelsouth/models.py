"""The shared base model (every domain row knows when it was created and last changed), and API tokens."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PartnerToken(TimeStampedModel):
    """A partner's key to the read API: a higher rate limit, and staff-only resources if its user is staff.

    Only a SHA-256 hash of the key is stored; the key itself is shown once, when staff create the
    token (travelsouth/services.py). Keys are 256 random bits, so a fast hash is enough: nobody can
    guess a key from its hash, and checking one costs a single indexed lookup per request.
    """

    name = models.CharField(
        _("name"), max_length=120, help_text=_("Who uses it and for what, e.g. 'UN-Habitat data team'.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as user"),
        on_delete=models.CASCADE,
        related_name="partner_tokens",
        help_text=_("Requests made with this token are this user's: staff users see staff-only resources."),
    )
    organisation = models.ForeignKey(
        "cities.Organisation",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key_prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partner API token")
        verbose_name_plural = _("partner API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
