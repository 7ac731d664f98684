"""A therapist's own Web Push: the desktop browser they opt in on gets their urgent alerts.

The same pipeline as the patients' reminders (reminders.services: the subscription rows, the
outbox, the leased senders and the push allow-list of reminders/push_endpoints.py); only
therapists may opt in here, since only they are sent alerts (a clinic admin is on no care team).
"""

from django.core.exceptions import PermissionDenied

from reminders.models import PushSubscription
from reminders.services import push_subscription_remove, push_subscription_save
from tracker.models import User


def _require_therapist(user: User) -> None:
    if not (user.is_authenticated and user.is_therapist):
        raise PermissionDenied


def therapist_push_subscribe(
    *, therapist: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """Register this browser for the therapist's alerts; (subscription, created). Raises
    ValidationError for an endpoint that is not a known push service, and
    reminders.services.EndpointTaken when another account has this endpoint active."""
    _require_therapist(therapist)
    return push_subscription_save(
        user=therapist, endpoint=endpoint, p256dh=p256dh, auth=auth, user_agent=user_agent
    )


def therapist_push_unsubscribe(*, therapist: User, endpoint: str) -> int:
    """Stop alerts to this browser; how many of the therapist's rows were switched off (0 when
    the endpoint was not theirs: another account's endpoint is never touched)."""
    _require_therapist(therapist)
    rows = list(PushSubscription.objects.filter(user=therapist, endpoint=endpoint, is_active=True))
    for subscription in rows:
        push_subscription_remove(subscription=subscription)
    return len(rows)
