"""A stand-in for `celery beat` in the reliability tests: runs the dispatcher and the sweeper
every second (beat's 15 s would only make the tests slower). Stops when killed."""

import logging
import os
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.reminders.worker_settings")
    django.setup()
    from django.db import close_old_connections

    from reminders import services

    logger = logging.getLogger("driver")
    while True:
        for step in (services.reminders_dispatch, services.deliveries_sweep):
            try:
                step()
            except Exception:  # the broker may be down on purpose: log and go on
                logger.exception("%s failed", step.__name__)
                close_old_connections()
        time.sleep(1)


if __name__ == "__main__":
    main()
