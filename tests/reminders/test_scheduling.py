"""The next reminder in the patient's own zone: active hours, weekdays, quiet hours, DST."""

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reminders.scheduling import (
    Rules,
    is_active_instant,
    next_at_times,
    next_stand_up,
    resolve_wall_time,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def walk(rules: Rules, start: datetime, until: datetime, step) -> list[datetime]:
    found, at = [], start
    while True:
        at = step(rules, after=at)
        if at is None or at >= until:
            return found
        found.append(at)


def local(instants, zone) -> list[str]:
    return [i.astimezone(zone).strftime("%m-%d %H:%M") for i in instants]


# --- Asia/Shanghai: an ordinary day, no DST ---------------------------------------------------


def test_a_shanghai_day_of_stand_ups_every_35_minutes_of_active_hours():
    rules = Rules(timezone="Asia/Shanghai", interval_minutes=35)
    day = datetime(2026, 6, 1, tzinfo=SHANGHAI)  # a Monday

    times = walk(rules, day, day + timedelta(days=1), next_stand_up)

    # The first comes one interval into the active day, the last before 21:00.
    assert local(times, SHANGHAI)[0] == "06-01 08:35"
    assert local(times, SHANGHAI)[-1] == "06-01 20:50"
    assert len(times) == 22
    assert all(b - a == timedelta(minutes=35) for a, b in itertools.pairwise(times))


def test_a_shanghai_exercise_at_its_times_of_day_in_the_patients_zone():
    rules = Rules(timezone="Asia/Shanghai", times_of_day=(time(9), time(15), time(20)))
    day = datetime(2026, 6, 1, tzinfo=SHANGHAI)

    times = walk(rules, day, day + timedelta(days=1), next_at_times)

    assert local(times, SHANGHAI) == ["06-01 09:00", "06-01 15:00", "06-01 20:00"]
    assert times[0] == datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


# --- Quiet hours and weekdays off ---------------------------------------------------------------


def test_no_stand_up_in_quiet_hours_and_the_next_one_interval_after_they_end():
    rules = Rules(
        timezone="Asia/Shanghai", interval_minutes=35, quiet_from=time(12), quiet_until=time(14)
    )
    day = datetime(2026, 6, 1, tzinfo=SHANGHAI)

    times = local(walk(rules, day, day + timedelta(days=1), next_stand_up), SHANGHAI)

    assert "06-01 11:30" in times
    assert not [t for t in times if "12:00" <= t[6:] < "14:00"]
    assert times[times.index("06-01 11:30") + 1] == "06-01 14:35"


def test_a_time_of_day_inside_quiet_hours_waits_until_they_end():
    rules = Rules(
        timezone="Asia/Shanghai",
        times_of_day=(time(7), time(13)),
        quiet_from=time(22),
        quiet_until=time(7, 30),
    )
    after = datetime(2026, 6, 1, 0, 0, tzinfo=SHANGHAI)

    times = local(walk(rules, after, after + timedelta(days=1), next_at_times), SHANGHAI)

    assert times == ["06-01 07:30", "06-01 13:00"]


def test_a_reminder_not_silenced_by_quiet_hours_is_not_moved():
    rules = Rules(
        timezone="Asia/Shanghai", times_of_day=(time(8),), quiet_from=time(22), quiet_until=time(7)
    )
    after = datetime(2026, 6, 1, 0, 0, tzinfo=SHANGHAI)

    assert local([next_at_times(rules, after=after)], SHANGHAI) == ["06-01 08:00"]


def test_weekdays_off_get_no_reminders():
    weekdays_only = frozenset({1, 2, 3, 4, 5})
    stand_up = Rules(timezone="Asia/Shanghai", interval_minutes=35, weekdays=weekdays_only)
    checkin = Rules(timezone="Asia/Shanghai", times_of_day=(time(20),), weekdays=weekdays_only)
    friday_evening = datetime(2026, 6, 5, 20, 45, tzinfo=SHANGHAI)

    assert local([next_stand_up(stand_up, after=friday_evening)], SHANGHAI) == ["06-08 08:35"]
    assert local([next_at_times(checkin, after=friday_evening)], SHANGHAI) == ["06-08 20:00"]
    saturday_noon = datetime(2026, 6, 6, 12, 0, tzinfo=SHANGHAI)
    assert not is_active_instant(stand_up, saturday_noon)


def test_no_weekday_chosen_means_no_reminder():
    rules = Rules(timezone="Asia/Shanghai", interval_minutes=35, weekdays=frozenset())

    assert next_stand_up(rules, after=datetime(2026, 6, 1, tzinfo=UTC)) is None


# --- America/New_York: spring forward 2026-03-08 02:00 -> 03:00, fall back 11-01 02:00 -> 01:00


def test_new_york_skipped_hour_moves_the_reminder_to_the_end_of_the_gap():
    rules = Rules(timezone="America/New_York", times_of_day=(time(2, 30),))
    before = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)

    times = walk(rules, before, before + timedelta(days=3), next_at_times)

    # 02:30 does not exist on the 8th: it fires once, at 03:00 EDT, and is 02:30 again after.
    assert local(times, NEW_YORK) == ["03-08 03:00", "03-09 02:30", "03-10 02:30"]
    assert times[0] == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


def test_new_york_repeated_hour_fires_once_at_the_first_occurrence():
    rules = Rules(timezone="America/New_York", times_of_day=(time(1, 30),))
    before = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)

    times = walk(rules, before, before + timedelta(days=2), next_at_times)

    assert local(times, NEW_YORK) == ["11-01 01:30", "11-02 01:30"]
    assert times[0] == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not EST


def test_new_york_stand_ups_keep_35_real_minutes_across_both_changes():
    # A night-owl's active hours include the changing hour.
    rules = Rules(
        timezone="America/New_York",
        interval_minutes=35,
        active_from=time(0, 0),
        active_until=time(6, 0),
    )
    for day in (datetime(2026, 3, 8, tzinfo=NEW_YORK), datetime(2026, 11, 1, tzinfo=NEW_YORK)):
        times = walk(rules, day, day + timedelta(hours=8), next_stand_up)
        gaps = {b - a for a, b in itertools.pairwise(times)}
        assert gaps == {timedelta(minutes=35)}
        assert len(times) == len(set(times))
        assert all(is_active_instant(rules, t) for t in times)


# --- Europe/Berlin: spring forward 2026-03-29 02:00 -> 03:00, fall back 10-25 03:00 -> 02:00 ---


def test_berlin_skipped_hour_and_repeated_hour():
    rules = Rules(timezone="Europe/Berlin", times_of_day=(time(2, 15),))

    spring = walk(
        rules,
        datetime(2026, 3, 28, 12, tzinfo=UTC),
        datetime(2026, 3, 31, tzinfo=UTC),
        next_at_times,
    )
    autumn = walk(
        rules,
        datetime(2026, 10, 24, 12, tzinfo=UTC),
        datetime(2026, 10, 27, tzinfo=UTC),
        next_at_times,
    )

    assert local(spring, BERLIN) == ["03-29 03:00", "03-30 02:15"]
    assert local(autumn, BERLIN) == ["10-25 02:15", "10-26 02:15"]
    assert autumn[0] == datetime(2026, 10, 25, 0, 15, tzinfo=UTC)  # 02:15 CEST, the first one


def test_berlin_active_hours_start_inside_the_gap():
    # Active from 02:30 on the spring-forward day starts at 03:00: one interval later, 03:35.
    rules = Rules(
        timezone="Europe/Berlin", interval_minutes=35, active_from=time(2, 30), active_until=time(8)
    )
    day_before = datetime(2026, 3, 28, 23, 0, tzinfo=BERLIN)

    first = next_stand_up(rules, after=day_before)

    assert local([first], BERLIN) == ["03-29 03:35"]


def test_resolve_wall_time_is_exact_in_the_gap():
    assert resolve_wall_time(datetime(2026, 3, 29).date(), time(2, 59), BERLIN) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )
