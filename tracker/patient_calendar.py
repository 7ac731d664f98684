"""A patient's calendar: which date is their today, and how far back a record may be dated."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from tracker.models import PatientProfile

# Offline paper diaries may be typed in late, but not forever (issue 3): check-ins, sessions and
# a programme's start date alike reach this many days back from the patient's today.
MAX_BACKDATE_DAYS = 90


def local_today(profile: PatientProfile, now: datetime | None = None) -> date:
    """The date in the patient's own time zone at `now` (default: this instant)."""
    return timezone.localdate(now or timezone.now(), timezone=profile.tzinfo)
