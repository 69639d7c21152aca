from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin, with the staff's work queue as its home page (portal.admin.PortalAdminSite).
    Its own module: an apps.py with two app configs would need one marked as the default."""

    default_site = "portal.admin.PortalAdminSite"
