from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reminders.models import ReminderSchedule


def test_vapid_keys_are_written_once_outside_the_repository(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = StringIO(), StringIO()

    call_command("vapid_keys", stdout=first)
    call_command("vapid_keys", stdout=second)

    public = (tmp_path / "vapid_public_key").read_text()
    assert public in first.getvalue() and public in second.getvalue()
    assert (tmp_path / "vapid_private_key").stat().st_mode & 0o777 == 0o600
    assert len(public) == 87  # an uncompressed P-256 point, base64url


def test_reminders_demo_makes_a_stand_up_due_in_a_minute(patient, time_machine):
    time_machine.move_to("2026-03-10 04:00:00+00:00")  # noon in Shanghai
    call_command("reminders_demo", username=patient.username, stdout=StringIO())

    stand_up = ReminderSchedule.objects.get(user=patient, kind="stand_up")
    assert stand_up.next_due_at - timezone.now() < timedelta(minutes=1, seconds=5)
    assert "email" in stand_up.channels
    assert ReminderSchedule.objects.filter(user=patient, kind="checkin").exists()


def test_reminders_demo_keeps_quiet_at_night(patient, time_machine):
    time_machine.move_to("2026-03-10 16:00:00+00:00")  # midnight in Shanghai
    out = StringIO()
    call_command("reminders_demo", username=patient.username, stdout=out)

    stand_up = ReminderSchedule.objects.get(user=patient, kind="stand_up")
    local = stand_up.next_due_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.date().isoformat() == "2026-03-11" and local.hour >= 8  # the morning
    assert (stand_up.quiet_from.isoformat(), stand_up.quiet_until.isoformat()) == (
        "22:00:00",
        "07:00:00",
    )
    assert "night" in out.getvalue()


def test_reminders_demo_needs_the_demo_patient(db):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("reminders_demo", username="nobody", stdout=StringIO())
