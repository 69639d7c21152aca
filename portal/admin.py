"""The admin site: its home page is the staff's work queue, and the apps that keep the portal
running (login lockouts, sites, e-mail addresses) stay out of the way of staff who broker partnerships."""

from django.contrib import admin

from .selectors import staff_work_queue

# Apps that are machinery rather than brokering: superusers see them last, other staff not at all.
INFRASTRUCTURE_APPS = ("axes", "sites", "account", "socialaccount", "auth")


class PortalAdminSite(admin.AdminSite):
    # The models' sidebar repeats the home page and, at 1366 px, leaves a list with filters too
    # narrow for its columns.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        brokering = [app for app in apps if app["app_label"] not in INFRASTRUCTURE_APPS]
        if not request.user.is_superuser:
            return brokering
        return brokering + [app for app in apps if app["app_label"] in INFRASTRUCTURE_APPS]

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "work_queue": staff_work_queue(user=request.user)}
        return super().index(request, extra_context)
