from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # The admin has registered every model by now (django.contrib.admin comes first).
        from . import erasure_admin  # noqa: F401
