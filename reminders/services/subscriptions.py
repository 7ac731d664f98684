from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reminders.models import PushSubscription
from reminders.push_endpoints import EndpointRefused, endpoint_check
from reminders.users import User


class EndpointTaken(Exception):
    """The endpoint is active for another account: theirs stays as it is."""


def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """Register a browser's subscription; registering it again updates its keys.

    An endpoint is one browser's address at its push service. If another account has it active
    (a shared browser, or someone who learnt the URL), nothing of theirs changes and this raises
    EndpointTaken: moving it would silence their reminders (a therapist's urgent alerts). The
    browser gets a fresh endpoint once the other account switches push off there (the page
    unsubscribes and subscribes again). An endpoint another account switched off does not
    block: this account gets its own row. Raises ValidationError for a URL that is not a known
    push service (reminders.push_endpoints)."""
    try:
        endpoint_check(endpoint)
    except EndpointRefused as error:
        raise ValidationError({"endpoint": [str(error)]}) from error
    fields = {
        "p256dh": p256dh,
        "auth": auth,
        "user_agent": user_agent[:300],
        "is_active": True,
        "deactivated_at": None,
    }
    try:
        with transaction.atomic():
            taken = (
                PushSubscription.objects.select_for_update()
                .filter(endpoint=endpoint, is_active=True)
                .exclude(user=user)
                .exists()
            )
            if taken:
                raise EndpointTaken
            subscription, created = PushSubscription.objects.select_for_update().update_or_create(
                user=user, endpoint=endpoint, defaults=fields
            )
    except IntegrityError as error:
        # A concurrent registration of the same endpoint won: ours if it was this account.
        mine = PushSubscription.objects.filter(user=user, endpoint=endpoint, is_active=True)
        if not mine.exists():
            raise EndpointTaken from error
        return mine.get(), False
    return subscription, created


def push_subscription_remove(*, subscription: PushSubscription) -> None:
    PushSubscription.objects.filter(pk=subscription.pk, is_active=True).update(
        is_active=False, deactivated_at=timezone.now()
    )
