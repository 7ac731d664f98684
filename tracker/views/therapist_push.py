"""The therapist's push opt-in: the service worker under /therapist/ (its scope) and the two
JSON endpoints the inbox page's script calls to register or forget this browser. Thin: the
work is tracker.services.therapist_push, on the reminders pipeline."""

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reminders.services import EndpointTaken
from tracker.models import User
from tracker.services.therapist_push import therapist_push_subscribe, therapist_push_unsubscribe


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/therapist/sw.js: served from /therapist/ so its scope covers the therapist's pages.
    Public, like the patient app's: it holds no personal data."""
    context = {"icon": static("tracker/app/icon-192.png"), "inbox": reverse("dashboard:inbox")}
    response = render(
        request, "tracker/dashboard/sw.js", context, content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


class SubscriptionForm(forms.Form):
    endpoint = forms.URLField(max_length=2000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)
    user_agent = forms.CharField(max_length=300, required=False)


class EndpointForm(forms.Form):
    endpoint = forms.URLField(max_length=2000, assume_scheme="https")


def _body(request: HttpRequest) -> dict[str, Any] | None:
    """The JSON object posted, flattened ({"keys": {...}} as the browser's toJSON() gives it)."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    keys = data.get("keys")
    if isinstance(keys, dict):
        data = {**data, **{name: keys.get(name) for name in ("p256dh", "auth")}}
    return {name: value for name, value in data.items() if isinstance(value, str)}


def _refused(request: HttpRequest) -> JsonResponse | None:
    # JSON answers, never a redirect to the sign-in page that a script would take for success.
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"detail": _("Sign in first.")}, status=401)
    if not isinstance(user, User) or not user.is_therapist:
        return JsonResponse({"detail": _("Only therapists get alerts.")}, status=403)
    return None


def _bad(errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})


@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    refused = _refused(request)
    if refused:
        return refused
    data = _body(request)
    if data is None:
        return _bad({"detail": [_("Send a JSON object.")]})
    form = SubscriptionForm(data)
    if not form.is_valid():
        return _bad({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    assert isinstance(request.user, User)
    try:
        subscription, created = therapist_push_subscribe(
            therapist=request.user,
            endpoint=form.cleaned_data["endpoint"],
            p256dh=form.cleaned_data["p256dh"],
            auth=form.cleaned_data["auth"],
            user_agent=form.cleaned_data["user_agent"] or request.headers.get("User-Agent", ""),
        )
    except ValidationError as error:
        return _bad({name: list(messages) for name, messages in error.message_dict.items()})
    except EndpointTaken:
        detail = _("This browser's push address belongs to another account.")
        return JsonResponse({"detail": detail}, status=409)
    return JsonResponse(
        {"id": str(subscription.public_id), "active": True}, status=201 if created else 200
    )


@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused:
        return refused
    form = EndpointForm(_body(request) or {})
    if not form.is_valid():
        return _bad({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    assert isinstance(request.user, User)
    therapist_push_unsubscribe(therapist=request.user, endpoint=form.cleaned_data["endpoint"])
    return HttpResponse(status=204)
