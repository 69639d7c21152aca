from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Cities")

    def ready(self):
        # An official's login address is their contact address: it follows a change on allauth's
        # e-mail page, and the consent given for the old address ends (cities/accounts.py).
        from allauth.account.signals import email_changed

        from .accounts import on_account_email_changed

        email_changed.connect(on_account_email_changed, dispatch_uid="cities.account_email_changed")
