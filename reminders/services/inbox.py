from django.utils import timezone

from reminders.models import InboxMessage
from reminders.users import User


def inbox_message_mark_read(*, message: InboxMessage) -> InboxMessage:
    # Marking twice keeps the first reading time.
    if message.read_at is None:
        InboxMessage.objects.filter(pk=message.pk, read_at=None).update(read_at=timezone.now())
        message.refresh_from_db(fields=["read_at"])
    return message


def inbox_mark_all_read(*, user: User) -> int:
    return InboxMessage.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
