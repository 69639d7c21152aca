"""/api/v1/: every app's resources (``<app>/api/urls.py`` lists them), the schema, its docs, ping.

A new resource is one line in its app's ``routes``; a new app with resources is one import here.
"""

from django.urls import path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from cities.api.urls import routes as city_routes
from partnerships.api.urls import routes as partnership_routes
from surveys.api.urls import routes as survey_routes
from travelsouth.api.views import PingView
from webinars.api.urls import routes as webinar_routes


class ApiRouter(DefaultRouter):
    include_format_suffixes = False


class NoSuchEndpoint(APIView):
    """Any other path under /api/v1/ answers a JSON 404, not the HTML page."""

    schema = None

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("No such API endpoint: see /api/v1/docs/."))

    get = post = put = patch = delete = head = options = http_method_not_allowed


router = ApiRouter()
for prefix, viewset, basename in [*city_routes, *webinar_routes, *survey_routes, *partnership_routes]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("ping/", PingView.as_view(), name="ping"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    re_path(r"^.*$", NoSuchEndpoint.as_view(), name="not-found"),
]
