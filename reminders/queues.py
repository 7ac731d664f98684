"""The reminders' Celery queues, by name (tracker/celery.py routes the tasks to them). Plain
constants: the Celery app imports this before Django's apps are ready.

- PERIODIC: the dispatcher and the sweeper. Never behind the thousands of sends they enqueue
  (their beat entries expire after one interval, so a run that waited is a run lost).
- SEND: first attempts, a batch of outbox rows per message.
- RETRY: rows tried before (a back-off over, a crashed sender's lease run out): a failing push
  service is retried beside the reminders coming due now, not ahead of them.
"""

PERIODIC = "reminders_periodic"
SEND = "reminders_send"
RETRY = "reminders_retry"
ALL = (PERIODIC, SEND, RETRY)
