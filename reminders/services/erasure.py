from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from reminders.models import (
    Delivery,
    DigestItem,
    InboxMessage,
    Kind,
    PushSubscription,
    ReminderSchedule,
)
from reminders.texts import digest_text
from reminders.users import User


def _without_lines(body: str, lines: set[str]) -> list[str]:
    return [line for line in body.splitlines() if line not in lines]


def _scrub_digests(items: list[DigestItem]) -> None:
    """Take an erased person's lines out of the digests already written for other people
    (a digest lists several patients: the rest of it stays)."""
    by_user: dict[int, set[str]] = {}
    for item in items:
        by_user.setdefault(item.user_id, set()).add(f"• {item.text}")
    for user_id, lines in by_user.items():
        for model in (Delivery, InboxMessage):
            rows = (
                model.objects.select_for_update(of=("self",))
                .filter(user_id=user_id, kind=Kind.THERAPIST_DIGEST)
                .select_related("schedule")
            )
            for row in rows:
                kept = _without_lines(row.body, lines)
                if kept == row.body.splitlines():
                    continue
                if not kept:
                    row.delete()
                    continue
                language = row.schedule.language if row.schedule else ""
                text = digest_text(language=language, lines=[line[2:] for line in kept])
                row.title, row.body = text.title, text.body
                row.save(update_fields=["title", "body"])


@transaction.atomic
def reminders_forget_user(*, user: User, links: Iterable[str] = ()) -> None:
    """Everything reminders holds about a person (an erased patient): their schedules, outbox,
    push endpoints, inbox and digest lines, and what other people were sent about them (their
    therapists' urgent alerts, by every channel, and their lines in the daily digests). The
    messages carry health information and the person's name.

    Found by `about_user`; `links` (the caller's URLs of the person's pages) also finds rows
    written before `about_user` existed, which link there."""
    about = Q(about_user=user)
    links = [link for link in links if link]
    if links:
        about |= Q(url__in=links)
    items = list(DigestItem.objects.select_for_update().filter(about))
    _scrub_digests([item for item in items if item.digested_at is not None])
    DigestItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    InboxMessage.objects.filter(about).delete()
    Delivery.objects.filter(about).delete()
    InboxMessage.objects.filter(user=user).delete()
    Delivery.objects.filter(user=user).delete()
    ReminderSchedule.objects.filter(user=user).delete()
    PushSubscription.objects.filter(user=user).delete()
    DigestItem.objects.filter(user=user).delete()
