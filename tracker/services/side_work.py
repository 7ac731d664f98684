"""Work a request leads to but its answer does not wait for (issue 16): a Celery task enqueued
once the request's transaction has committed, so a check-in or a session log stays within its
time and query budget. Reminder bookkeeping (skip today's check-in reminder, restart the
stand-up timer) and the care team's digest items go this way; urgent alerts do not.

SIDE_WORK_INLINE (set by the tests) runs `inline`, the service the task calls, at once in the
caller's transaction, so a test sees its effect without a worker."""

import functools
from collections.abc import Callable
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction


def side_work_enqueue(task: "Task[..., Any]", *args: Any, inline: Callable[[], None]) -> None:
    if getattr(settings, "SIDE_WORK_INLINE", False):
        inline()
        return
    # robust: the request has committed; a broker that is down must not turn it into a 500.
    transaction.on_commit(functools.partial(_publish, task, args), robust=True)


def _publish(task: "Task[..., Any]", args: tuple[Any, ...]) -> None:
    """`task.delay(*args)`, with the message's argsrepr/kwargsrepr given: Celery otherwise
    builds them with saferepr, a quarter of the publish's CPU (issue 16). The arguments are ids,
    an ISO date and lists of ids, whose plain repr is what saferepr would write."""
    # celery-types omits apply_async's message options (Celery passes them on to the message).
    task.apply_async(args, argsrepr=repr(args), kwargsrepr="{}")  # type: ignore[call-arg]
