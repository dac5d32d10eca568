"""How a records system is let in: its API key in the Authorization header
("Authorization: Api-Key erk_..."), never a staff session; one rate limit per key."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from reports.models import ApiKey
from reports.rms import keys

KEYWORD = "Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """request.auth is the ApiKey; request.user stays None (no staff account)."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the key as: Authorization: Api-Key <key>.")
        api_key = keys.api_key_for(header[1])
        if api_key is None:
            raise exceptions.AuthenticationFailed("This key is not valid.")
        if api_key.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This key has been revoked.")
        keys.api_key_used(api_key)
        return (None, api_key)

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate header makes refusals 401 (not 403), as the schema says.
        return KEYWORD


class HasApiKey(permissions.BasePermission):
    message = "Send an API key: Authorization: Api-Key <key>."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiKey)


class ApiKeyThrottle(throttling.SimpleRateThrottle):
    """RMS_API_RATE requests per key (settings.REST_FRAMEWORK), in the shared cache."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the key (drf-spectacular finds it by class)."""

    target_class = "reports.rms.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Authorization: Api-Key <key> (a supervisor makes the key in the admin)."
            ),
        }
