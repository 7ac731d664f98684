from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reminders.models import PushSubscription


@transaction.atomic
def push_subscription_save(
    *, user: AbstractBaseUser, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """Register a browser's subscription; registering it again updates its keys. An endpoint
    belongs to one browser, so if another account signed in there it moves to this one."""
    subscription, created = PushSubscription.objects.select_for_update().get_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
    )
    if not created:
        subscription.user = user
        subscription.p256dh = p256dh
        subscription.auth = auth
        subscription.user_agent = user_agent[:300]
        subscription.is_active = True
        subscription.deactivated_at = None
        subscription.save()
    return subscription, created


def push_subscription_remove(*, subscription: PushSubscription) -> None:
    PushSubscription.objects.filter(pk=subscription.pk, is_active=True).update(
        is_active=False, deactivated_at=timezone.now()
    )
