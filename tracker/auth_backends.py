"""How requests are authenticated: django-axes' sign-in backend, and the API token check.

AxesBackend is for sign-ins that arrive over HTTP.
Every way in from outside (the sign-in page, the admin's, the token API) passes the request, and
is counted and refused while locked. A call without a request comes from our own code in the
same process (the test client's `login()`, a shell): there is no client to count, so it goes
straight to the password check instead of failing.
"""

import knox.auth
from axes.backends import AxesStandaloneBackend
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class AxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class TokenAuthentication(knox.auth.TokenAuthentication):
    """knox's token check, without its sweep of the user's other tokens on every request (one
    query each time): expired tokens are refused here and deleted when the user next signs in
    (tracker.services.auth)."""

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
