from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from reminders.models import InboxMessage


def inbox_message_mark_read(*, message: InboxMessage) -> InboxMessage:
    # Marking twice keeps the first reading time.
    if message.read_at is None:
        InboxMessage.objects.filter(pk=message.pk, read_at=None).update(read_at=timezone.now())
        message.refresh_from_db(fields=["read_at"])
    return message


def inbox_mark_all_read(*, user: AbstractBaseUser) -> int:
    return InboxMessage.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
