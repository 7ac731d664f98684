"""E-mail through Django's backend (SMTP in production), text and HTML.

Which SMTP refusals are worth another try (RFC 5321 §4.2.1): a 4yz reply is a transient
negative completion (451 local error, 452 mailbox full or too many recipients, 421 service not
available): the same message may go through later. A 5yz reply is permanent (550 no such
mailbox, 553 bad address, 554 refused): sending it again only gets the same answer. A dropped
connection or a timeout is transient.
"""

import logging
import smtplib
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reminders import conf
from reminders.channels import (
    ChannelError,
    NothingToSend,
    PermanentChannelError,
    TransientChannelError,
)
from reminders.languages import language_code
from reminders.models import Delivery

logger = logging.getLogger(__name__)


def _is_transient_code(code: int) -> bool:
    return 400 <= code < 500


def classify(error: Exception) -> ChannelError:
    """What an SMTP failure means for the next attempt."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # One recipient per message: its reply code decides.
        codes = [code for code, _message in error.recipients.values()]
        if codes and all(_is_transient_code(code) for code in codes):
            return TransientChannelError(f"smtp: recipient deferred: {error.recipients}")
        return PermanentChannelError(f"smtp: recipient refused: {error.recipients}")
    if isinstance(error, smtplib.SMTPResponseException):
        # MAIL FROM, DATA, HELO, AUTH or the greeting refused, with a code.
        code = error.smtp_code
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else error.smtp_error
        )
        if code >= 500:
            return PermanentChannelError(f"smtp: {code} {text}")
        return TransientChannelError(f"smtp: {code} {text}")
    # Connection refused or dropped, timeouts, a server that said nothing we understood.
    return TransientChannelError(f"smtp: {type(error).__name__}: {error}")


def _message(delivery: Delivery, address: str) -> EmailMultiAlternatives:
    language = language_code(delivery.schedule.language if delivery.schedule else "zh-hans")
    url = conf.absolute_url(delivery.url)
    context = {"delivery": delivery, "url": url, "lines": delivery.body.splitlines()}
    with translation.override(language):
        text = render_to_string("reminders/email/reminder.txt", context)
        html = render_to_string("reminders/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=delivery.title,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"X-Reminder-Id": str(delivery.public_id)},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_batch(
    deliveries: Sequence[Delivery],
    *,
    renew: Callable[[list[int]], None],
    settle: Callable[[dict[int, ChannelError | None]], None] | None = None,
) -> dict[int, ChannelError | None]:
    """Send each delivery's e-mail over one SMTP connection. Returns, per delivery id, None
    (sent; `sent_at` set) or the error. If the server cannot be reached at all, the rest of the
    batch is not tried one timeout at a time: they all wait for their retry."""
    User = get_user_model()
    field = User.get_email_field_name()
    users = {delivery.user_id for delivery in deliveries}
    addresses: dict[Any, str] = dict(User.objects.filter(pk__in=users).values_list("pk", field))
    results: dict[int, ChannelError | None] = {}
    connection = get_connection(fail_silently=False)
    opened = False
    renewed, every = time.monotonic(), conf.lease().total_seconds() / 3
    try:
        for number, delivery in enumerate(deliveries):
            address = addresses.get(delivery.user_id) or ""
            if not address:
                results[delivery.pk] = NothingToSend("no e-mail address")
                continue
            if time.monotonic() - renewed > every:  # a slow server: keep the rest ours
                renew([other.pk for other in deliveries[number:]])
                renewed = time.monotonic()
            try:
                if not opened:
                    connection.open()
                    opened = True
                connection.send_messages([_message(delivery, address)])
            except (smtplib.SMTPException, OSError) as error:
                results[delivery.pk] = outcome = classify(error)
                if not opened:  # the server is unreachable: no point trying the others now
                    for other in deliveries[number + 1 :]:
                        results.setdefault(other.pk, outcome)
                    break
                if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
                    with suppress(Exception):
                        connection.close()
                    opened = False
                continue
            delivery.sent_at = timezone.now()
            results[delivery.pk] = None
    finally:
        if opened:
            with suppress(Exception):
                connection.close()
    return results
