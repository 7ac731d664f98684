"""How requests are authenticated: django-axes' sign-in backend, and the API token check.

AxesBackend is for sign-ins that arrive over HTTP.
Every way in from outside (the sign-in page, the admin's, the token API) passes the request, and
is counted and refused while locked. A call without a request comes from our own code in the
same process (the test client's `login()`, a shell): there is no client to count, so it goes
straight to the password check instead of failing.
"""

import binascii
from hmac import compare_digest

import knox.auth
from axes.backends import AxesStandaloneBackend
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions


class AxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class TokenAuthentication(knox.auth.TokenAuthentication):
    """knox's token check, without its sweep of the user's other tokens on every request (one
    query each time): expired tokens are refused here and deleted when the user next signs in
    (tracker.services.auth)."""

    def authenticate_credentials(self, token):
        """knox's own, with the patient's profile read in the same query: the API answers a
        patient in their profile's language (tracker.apis.base), and a check-in POST has a
        query budget."""
        key = token.decode("utf-8")
        candidates = (
            get_token_model()
            .objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user", "user__patient_profile")
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(key)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names the token: `Authorization: Token <token>`, as before knox."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
