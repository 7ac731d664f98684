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
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from tracker.models import PatientProfile, User
from tracker.services.raw_rows import loaded, select_list


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
        for auth_token in _tokens(key[: CONSTANTS.TOKEN_KEY_LENGTH]):
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

    def renew_token(self, auth_token) -> None:
        """knox's renewal (at most once a minute, never past the token's maximum age), its
        UPDATE written out: the ORM's save() cost ~0.5 ms of CPU to build (issue 16)."""
        current = auth_token.expiry
        renewed = timezone.now() + knox_settings.TOKEN_TTL
        if knox_settings.AUTO_REFRESH_MAX_TTL is not None:
            renewed = min(renewed, auth_token.created + knox_settings.AUTO_REFRESH_MAX_TTL)
        auth_token.expiry = renewed
        if (renewed - current).total_seconds() > knox_settings.MIN_REFRESH_INTERVAL:
            with connection.cursor() as cursor:
                cursor.execute(_RENEW_SQL, [renewed, auth_token.digest])

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


Token = get_token_model()
_TOKEN, _USER, _PROFILE = (
    [field.name for field in model._meta.concrete_fields] for model in (Token, User, PatientProfile)
)
# The tokens of a key with their users and, for a patient, the profile, in one statement written
# out: the ORM's select_related took ~2 ms of CPU to compile and load (issue 16). Only table and
# column names are interpolated; the key goes as a parameter.
_TOKENS_SQL = f"""
SELECT {select_list(Token, "t", _TOKEN)}, {select_list(User, "u", _USER)},
       {select_list(PatientProfile, "p", _PROFILE)}
FROM {Token._meta.db_table} t
JOIN {User._meta.db_table} u ON u.id = t.user_id
LEFT JOIN {PatientProfile._meta.db_table} p ON p.user_id = u.id
WHERE t.token_key = %s
"""  # noqa: S608

_RENEW_SQL = f"UPDATE {Token._meta.db_table} SET expiry = %s WHERE digest = %s"  # noqa: S608


def _tokens(token_key: str) -> list:
    """What `Token.objects.filter(token_key=…).select_related("user", "user__patient_profile")`
    returns."""
    with connection.cursor() as cursor:
        cursor.execute(_TOKENS_SQL, [token_key])
        rows = cursor.fetchall()
    user_at, profile_at = len(_TOKEN), len(_TOKEN) + len(_USER)
    found = []
    for row in rows:
        auth_token = loaded(Token, _TOKEN, row[:user_at])
        user = loaded(User, _USER, row[user_at:profile_at])
        profile = (
            None if row[profile_at] is None else loaded(PatientProfile, _PROFILE, row[profile_at:])
        )
        User.patient_profile.related.set_cached_value(user, profile)
        auth_token.user = user
        found.append(auth_token)
    return found


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names the token: `Authorization: Token <token>`, as before knox."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
