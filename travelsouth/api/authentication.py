from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from travelsouth.selectors import active_partner_token
from travelsouth.services import partner_token_touch


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``) with a key staff created in the admin."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Malformed Authorization header: send 'Authorization: Token <key>'.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token.")) from None
        token = active_partner_token(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        partner_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        # Anything here turns "not authenticated" into 401 (with this challenge) rather than 403.
        return 'Token realm="api"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = PartnerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _("A partner API token from UNOSSC staff, sent as 'Authorization: Token <key>'.")
            ),
        }
