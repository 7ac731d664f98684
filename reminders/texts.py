"""Reminder texts in the person's language, through the interface's gettext catalogue (Chinese in
locale/), rendered with that language active whatever the request or worker has. The exercise's
name and dosage come from the caller (tracker), already in both languages, so they read as the
catalogue does."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from reminders.languages import is_english, language_code
from reminders.models import Kind, ReminderSchedule


@dataclass(frozen=True)
class Text:
    title: str
    body: str


def _title(kind: str) -> str:
    if kind == Kind.STAND_UP:
        return pgettext("reminder title", "Time to stand up")
    if kind == Kind.EXERCISE:
        return pgettext("reminder title", "Time for your exercise")
    if kind == Kind.CHECKIN:
        return pgettext("reminder title", "Daily check-in")
    return pgettext("reminder title", "Patient flags digest")


def schedule_text(schedule: ReminderSchedule) -> Text:
    english = is_english(schedule.language)
    with translation.override(language_code(schedule.language)):
        title = _title(schedule.kind)
        if schedule.kind == Kind.STAND_UP:
            # CLINICAL.md §5 (A1, A3): break up sitting every 30-40 minutes.
            body = gettext(
                "You have been sitting for about %(minutes)s minutes: stand up and walk for a "
                "few minutes."
            ) % {"minutes": schedule.interval_minutes}
        elif schedule.kind == Kind.CHECKIN:
            body = gettext("Take a minute to record today's back pain, leg pain and numbness.")
        else:
            # Fall back to the Chinese text when the caller gave no English one.
            label = (schedule.label_en if english else "") or schedule.label_zh
            detail = (schedule.detail_en if english else "") or schedule.detail_zh
            separator = ": " if english else "："
            body = f"{label}{separator}{detail}" if detail else label
    return Text(title=title, body=body)


def digest_text(*, language: str, lines: list[str]) -> Text:
    with translation.override(language_code(language)):
        title = ngettext(
            "%(count)s open flag to review", "%(count)s open flags to review", len(lines)
        ) % {"count": len(lines)}
    return Text(title=title, body="\n".join(f"• {line}" for line in lines))
