"""Thin tasks: ids in, a service call, safe to run twice. No eta, no countdown, no
Task.retry: waiting lives in the database (next_due_at, locked_until), never in the broker."""

from celery import shared_task

from reminders import services


@shared_task(ignore_result=True)
def reminders_dispatch_task() -> int:
    return services.reminders_dispatch().deliveries


@shared_task(ignore_result=True)
def deliveries_sweep_task() -> int:
    return len(services.deliveries_sweep())


# acks_late + reject_on_worker_lost: a worker killed mid-send leaves the message in the broker
# for another worker; the lease (not the broker) decides when the row may be sent again.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def delivery_send_task(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)
