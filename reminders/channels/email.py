import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from reminders import conf
from reminders.channels import NothingToSend, PermanentChannelError, TransientChannelError
from reminders.languages import is_english
from reminders.models import Delivery


def send(delivery: Delivery) -> None:
    user = delivery.user
    address = getattr(user, user.get_email_field_name(), "") or ""
    if not address:
        raise NothingToSend("no e-mail address")
    language = "en" if delivery.schedule and is_english(delivery.schedule.language) else "zh-hans"
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
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentChannelError(f"recipient refused: {error}") from error
    except (smtplib.SMTPException, OSError) as error:
        # Connection refused, timeouts, 4xx from the server: the next attempt may work.
        raise TransientChannelError(f"smtp: {error}") from error
