from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from reminders.models import Delivery, DigestItem, InboxMessage, PushSubscription, ReminderSchedule


@transaction.atomic
def reminders_forget_user(*, user: AbstractBaseUser) -> None:
    """Everything reminders holds about a person (an erased patient): schedules, the outbox,
    push endpoints, the inbox and digest lines. Their messages carry health information."""
    InboxMessage.objects.filter(user=user).delete()
    Delivery.objects.filter(user=user).delete()
    ReminderSchedule.objects.filter(user=user).delete()
    PushSubscription.objects.filter(user=user).delete()
    DigestItem.objects.filter(user=user).delete()
