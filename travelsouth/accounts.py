"""Glue between django-allauth and django-axes."""

from allauth.account import auth_backends as allauth_backends
from allauth.account import forms as allauth_forms
from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .client_ip import client_ip


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a login attempt is for, so axes locks that account (from that address) only.

    allauth authenticates with ``email=...`` while its form field is ``login``; axes would otherwise
    see no username at all and lock every account tried from the same address together.
    """
    credentials = credentials or {}
    username = (
        credentials.get("email")
        or credentials.get("username")
        or credentials.get("login")
        or request.POST.get("login", "")
    )
    return str(username).strip().lower()


def user_display(user) -> str:
    """How allauth names a user in messages and e-mails: their address (usernames are generated)."""
    return user.email or user.get_username()


# --- E-mail addresses: only verified ones belong to an account ----------------------------------
# An address someone added to their account without verifying it proves nothing: it must not stop
# its real owner from signing up, nor receive password resets, nor sign anyone in.


def _held_by_other_accounts(email: str, user) -> bool:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    others = EmailAddress.objects.filter(email__iexact=email).exclude(user=user)
    return (
        others.exists() or get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
    )


def _release_unverified_claims(email: str) -> None:
    """Forget other accounts' unverified secondary claims to ``email`` (a pending sign-up's own,
    primary, address stays: it is resolved by whoever verifies first)."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email__iexact=email, verified=False, primary=False).delete()


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address axes and the API's throttles use (travelsouth/client_ip.py).
        return client_ip(request)


class SignupForm(allauth_forms.SignupForm):
    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email:
            _release_unverified_claims(email)
        return super().clean_email()


class AddEmailForm(allauth_forms.AddEmailForm):
    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email and _held_by_other_accounts(email, self.user):
            raise forms.ValidationError(_("This address belongs to another account: it cannot be added."))
        return super().clean_email()


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def clean_email(self):
        email = super().clean_email()
        # Only an account whose address this is, verified, may be reset through it.
        self.users = [user for user in self.users if _verified(user, email)]
        return email


def _verified(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


class AuthenticationBackend(allauth_backends.AuthenticationBackend):
    """allauth's backend, except that an unverified secondary address signs nobody in (an unverified
    primary address still leads to allauth's mandatory verification)."""

    def _authenticate_by_email(self, email, password):
        from allauth.account.models import EmailAddress

        user = super()._authenticate_by_email(email, password)
        if user is None:
            return None
        address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if address is not None and not address.verified and not address.primary:
            return None
        return user
