"""Thin tasks: ids in, a service call, safe to run twice. No eta, no countdown, no
Task.retry: waiting lives in the database (next_due_at, locked_until), never in the broker.
Queues: tracker/celery.py routes each task (reminders/conf.py names them)."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from reminders import services


@shared_task(ignore_result=True)
def reminders_dispatch_task() -> int:
    return services.reminders_dispatch().deliveries


@shared_task(ignore_result=True)
def deliveries_sweep_task() -> int:
    return len(services.deliveries_sweep())


# acks_late + reject_on_worker_lost: a worker killed mid-send leaves the message in the broker
# for another worker; the lease (not the broker) decides when the rows may be sent again.
# base=DjangoTask (the class Celery's Django fixup gives every task anyway) says so to the type
# checker too: the sends are enqueued with apply_async_on_commit / delay_on_commit.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True, base=DjangoTask)
def deliveries_send_task(delivery_ids: list[int]) -> dict[int, str]:
    return services.deliveries_send(delivery_ids=delivery_ids)


# One row: what the dispatcher enqueued before sends were batched (messages still queued when
# the new code is deployed), and a handy way to send one row by hand.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True, base=DjangoTask)
def delivery_send_task(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)
