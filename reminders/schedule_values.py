"""What a reminder schedule's values may be: the clinical bounds, the defaults and the validators
its fields use (reminders/models.py; the migrations name them there)."""

import functools
from datetime import time
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# CLINICAL.md §5: stand up every 30-40 minutes of active hours (A1: 30, A3: 40), default 35.
STAND_UP_MIN_MINUTES = 30
STAND_UP_MAX_MINUTES = 40
# A person may pause a reminder for at most this long; a pause "until 9999" is a typo that
# would also overflow the date arithmetic that places the next reminder (issue 15).
MAX_PAUSE_DAYS = 90
STAND_UP_DEFAULT_MINUTES = 35
ALL_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]  # ISO: Monday is 1


def default_weekdays() -> list[int]:
    return list(ALL_WEEKDAYS)


def default_times_of_day() -> list[str]:
    return ["09:00"]


def default_channels() -> list[str]:
    return ["push"]


# In the tz database but not places: "localtime" is the server's own zone (whatever the machine
# says), "Factory" a placeholder whose abbreviation reads "-00", "posixrules" a rules file.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@functools.cache
def _timezone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - NOT_PLACES


def validate_timezone(value: str) -> None:
    if value not in _timezone_names():
        raise ValidationError(
            _("%(value)s is not a known IANA time zone."), params={"value": value}
        )


def validate_weekdays(value: object) -> None:
    if not isinstance(value, list) or any(day not in ALL_WEEKDAYS for day in value):
        raise ValidationError(_("Weekdays are numbers 1 (Monday) to 7 (Sunday)."))


def validate_times_of_day(value: object) -> None:
    try:
        ok = isinstance(value, list) and all(time.fromisoformat(item) for item in value)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValidationError(_("Times of day are a list of HH:MM times."))


def validate_channels(value: object) -> None:
    if not isinstance(value, list) or any(item not in ("push", "email") for item in value):
        raise ValidationError(_("Channels are a list of: push, email (the inbox is always on)."))
