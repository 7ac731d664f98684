"""How requests are authenticated: django-axes' sign-in backend, and the API token check.

AxesBackend is for sign-ins that arrive over HTTP.
Every way in from outside (the sign-in page, the admin's, the token API) passes the request, and
is counted and refused while locked. A call without a request comes from our own code in the
same process (the test client's `login()`, a shell): there is no client to count, so it goes
straight to the password check instead of failing.
"""

import binascii
from datetime import timedelta
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
        """knox's own, with the patient's profile read in the same query (the API answers a
        patient in their profile's language, tracker.apis.base) and, on PostgreSQL, the token's
        renewal done by that query too: a check-in POST has a query budget (issue 16)."""
        key = token.decode("utf-8")
        try:
            digest = hash_token(key)
        except (TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        now = timezone.now()
        refresh = knox_settings.AUTO_REFRESH
        for auth_token, renewed_in_query in _tokens(key[: CONSTANTS.TOKEN_KEY_LENGTH], digest, now):
            if auth_token.expiry is not None and auth_token.expiry < now:
                auth_token.delete()  # knox's cleanup of an expired token
                continue
            if compare_digest(digest, auth_token.digest):
                if refresh and auth_token.expiry:
                    self._renew(auth_token, now, renewed_in_query)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))

    @staticmethod
    def _renew(auth_token, now, renewed_in_query: bool) -> None:
        """knox's renewal: at most once a minute (MIN_REFRESH_INTERVAL), never past the token's
        maximum age. On PostgreSQL the token query has already written it (_RENEWING_SQL);
        elsewhere it is an UPDATE of its own."""
        renewed = _renewed_expiry(auth_token.created, now)
        due = (renewed - auth_token.expiry).total_seconds() > knox_settings.MIN_REFRESH_INTERVAL
        auth_token.expiry = renewed
        if due and not renewed_in_query:
            with connection.cursor() as cursor:
                cursor.execute(_RENEW_SQL, [renewed, auth_token.digest])


def _renewed_expiry(created, now):
    renewed = now + knox_settings.TOKEN_TTL
    if knox_settings.AUTO_REFRESH_MAX_TTL is not None:
        renewed = min(renewed, created + knox_settings.AUTO_REFRESH_MAX_TTL)
    return renewed


Token = get_token_model()
_TOKEN, _USER, _PROFILE = (
    [field.name for field in model._meta.concrete_fields] for model in (Token, User, PatientProfile)
)
_T = Token._meta.db_table
# The tokens of a key with their users and, for a patient, the profile, in one statement written
# out: the ORM's select_related took ~2 ms of CPU to compile and load (issue 16). Only table and
# column names are interpolated; every value goes as a parameter.
_SELECT = f"""
SELECT {select_list(Token, "t", _TOKEN)}, {select_list(User, "u", _USER)},
       {select_list(PatientProfile, "p", _PROFILE)}{{renewed}}
FROM {_T} t
JOIN {User._meta.db_table} u ON u.id = t.user_id
LEFT JOIN {PatientProfile._meta.db_table} p ON p.user_id = u.id{{join}}
WHERE t.token_key = %s
"""  # noqa: S608
_TOKENS_SQL = _SELECT.format(renewed="", join="")


def _renewing_sql(max_ttl: bool) -> str:
    """PostgreSQL: the same read with knox's renewal in front, one statement instead of two
    (issue 16). The UPDATE touches only the token whose digest is the key's, while it is
    unexpired (expiry >= now) and when the new expiry is more than MIN_REFRESH_INTERVAL later
    than the stored one, exactly knox's rule; the new expiry is now + TOKEN_TTL, capped at
    created + AUTO_REFRESH_MAX_TTL. The SELECT sees the row as it was (a data-modifying CTE's
    snapshot), so the renewal is told by `renewed.digest` being set."""
    new_expiry = "LEAST(%s, created + %s)" if max_ttl else "%s"
    return (
        f"WITH renewed AS (UPDATE {_T} SET expiry = {new_expiry} "  # noqa: S608
        f"WHERE digest = %s AND expiry >= %s AND {new_expiry} > expiry + %s RETURNING digest) "
        + _SELECT.format(
            renewed=", renewed.digest", join=" LEFT JOIN renewed ON renewed.digest = t.digest"
        )
    )


_RENEWING_SQL = {max_ttl: _renewing_sql(max_ttl) for max_ttl in (True, False)}
_RENEW_SQL = f"UPDATE {_T} SET expiry = %s WHERE digest = %s"  # noqa: S608


def _statement(token_key: str, digest: str, now) -> tuple[str, list, bool]:
    if not (knox_settings.AUTO_REFRESH and connection.vendor == "postgresql"):
        return _TOKENS_SQL, [token_key], False
    max_ttl = knox_settings.AUTO_REFRESH_MAX_TTL
    ttl_end = now + knox_settings.TOKEN_TTL
    new_expiry = [ttl_end, max_ttl] if max_ttl is not None else [ttl_end]
    interval = timedelta(seconds=knox_settings.MIN_REFRESH_INTERVAL)
    params = [*new_expiry, digest, now, *new_expiry, interval, token_key]
    return _RENEWING_SQL[max_ttl is not None], params, True


def _tokens(token_key: str, digest: str, now) -> list:
    """What `Token.objects.filter(token_key=…).select_related("user", "user__patient_profile")`
    returns, each token with whether this statement renewed it."""
    sql, params, renewing = _statement(token_key, digest, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    user_at, profile_at = len(_TOKEN), len(_TOKEN) + len(_USER)
    profile_end = profile_at + len(_PROFILE)
    found = []
    for row in rows:
        auth_token = loaded(Token, _TOKEN, row[:user_at])
        user = loaded(User, _USER, row[user_at:profile_at])
        profile = (
            None
            if row[profile_at] is None
            else loaded(PatientProfile, _PROFILE, row[profile_at:profile_end])
        )
        User.patient_profile.related.set_cached_value(user, profile)
        auth_token.user = user
        found.append((auth_token, renewing and row[profile_end] is not None))
    return found


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names the token: `Authorization: Token <token>`, as before knox."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
