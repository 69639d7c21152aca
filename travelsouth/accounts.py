"""Glue between django-allauth and django-axes."""

from django.http import HttpRequest


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
