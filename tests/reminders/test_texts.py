"""Reminder texts come in the recipient's language, whatever language is active around them."""

from django.utils import translation

from reminders.models import Kind, ReminderSchedule
from reminders.texts import digest_text, schedule_text


def _stand_up(language):
    return ReminderSchedule(kind=Kind.STAND_UP, language=language, interval_minutes=35)


def test_a_stand_up_reminder_reads_in_the_recipients_language_not_the_active_one():
    with translation.override("en"):
        chinese = schedule_text(_stand_up("zh-hans"))
    with translation.override("zh-hans"):
        english = schedule_text(_stand_up("en"))

    assert (chinese.title, chinese.body) == (
        "起身活动一下",
        "已经坐了约 35 分钟：站起来走动几分钟，再坐下。",
    )
    assert (english.title, english.body) == (
        "Time to stand up",
        "You have been sitting for about 35 minutes: stand up and walk for a few minutes.",
    )


def test_the_checkin_reminder_is_titled_as_before_in_chinese():
    text = schedule_text(ReminderSchedule(kind=Kind.CHECKIN, language="zh-hans"))

    assert text.title == "今日打卡"
    assert text.body == "花一分钟记录今天的腰痛、腿痛和麻木。"


def test_the_digest_title_counts_in_either_language():
    assert digest_text(language="en", lines=["a"]).title == "1 open flag to review"
    assert digest_text(language="en", lines=["a", "b"]).title == "2 open flags to review"
    assert digest_text(language="zh-hans", lines=["a", "b"]).title == "2 条待处理的患者提醒"
    assert digest_text(language="en", lines=["a", "b"]).body == "• a\n• b"
