"""The request a page sees once @login_required (or patient_only) has let the visitor in."""

from django.http import HttpRequest

from tracker.models import User


class SignedInRequest(HttpRequest):
    """For the type checker only: here `request.user` is one of our users, never AnonymousUser."""

    user: User
