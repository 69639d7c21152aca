from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cities.views.officials import language_switch
from travelsouth.views import healthz
from webinars.views import home

admin.site.site_header = _("Travel South administration")
admin.site.site_title = _("Travel South")
admin.site.index_title = _("Brokering city-to-city partnerships")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Same address as Django's set_language, matched first: a signed-in user's language is remembered.
    path("i18n/setlang/", language_switch, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("travelsouth.api_urls", "api"), namespace="api")),
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("webinars/", include("webinars.urls")),
    path("cities/", include("cities.urls")),
    path("accounts/", include("allauth.urls")),
    path("good-practices/", include("cities.practice_urls")),
    path("officials/", include("cities.official_urls")),
    path("partnerships/", include("partnerships.urls")),
    path("surveys/", include("surveys.urls")),
    path("invitations/", include("partnerships.invitations.urls")),
    prefix_default_language=False,
)
