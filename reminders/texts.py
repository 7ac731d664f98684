"""Reminder texts in the person's language. The exercise's name and dosage come from the
caller (tracker), already in both languages, so they read as the catalogue does."""

from dataclasses import dataclass

from reminders.languages import is_english
from reminders.models import Kind, ReminderSchedule


@dataclass(frozen=True)
class Text:
    title: str
    body: str


_TITLES = {
    Kind.STAND_UP: ("起身活动一下", "Time to stand up"),
    Kind.EXERCISE: ("练习时间", "Time for your exercise"),
    Kind.CHECKIN: ("今日打卡", "Daily check-in"),
    Kind.THERAPIST_DIGEST: ("患者提醒摘要", "Patient flags digest"),
}
_BODIES = {
    # CLINICAL.md §5 (A1, A3): break up sitting every 30-40 minutes.
    Kind.STAND_UP: (
        "已经坐了约 {minutes} 分钟：站起来走动几分钟，再坐下。",
        "You have been sitting for about {minutes} minutes: stand up and walk for a few minutes.",
    ),
    Kind.CHECKIN: (
        "花一分钟记录今天的腰痛、腿痛和麻木。",
        "Take a minute to record today's back pain, leg pain and numbness.",
    ),
}


def schedule_text(schedule: ReminderSchedule) -> Text:
    english = is_english(schedule.language)
    pick = 1 if english else 0
    title = _TITLES[schedule.kind][pick]
    if schedule.kind == Kind.STAND_UP:
        body = _BODIES[Kind.STAND_UP][pick].format(minutes=schedule.interval_minutes)
    elif schedule.kind == Kind.CHECKIN:
        body = _BODIES[Kind.CHECKIN][pick]
    else:
        # Fall back to the Chinese text when the caller gave no English one.
        label = (schedule.label_en if english else "") or schedule.label_zh
        detail = (schedule.detail_en if english else "") or schedule.detail_zh
        separator = ": " if english else "："
        body = f"{label}{separator}{detail}" if detail else label
    return Text(title=title, body=body)


def digest_text(*, language: str, lines: list[str]) -> Text:
    if is_english(language):
        title = f"{len(lines)} open flag{'s' if len(lines) != 1 else ''} to review"
    else:
        title = f"{len(lines)} 条待处理的患者提醒"
    return Text(title=title, body="\n".join(f"• {line}" for line in lines))
