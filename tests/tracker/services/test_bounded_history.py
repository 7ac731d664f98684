"""The bounded history read (services/flags.py) fetches exactly what the rules' named windows and
baselines need: every check-in of the longest look-back, the one before it, the first few."""

from datetime import date, timedelta

from tracker.models import CheckIn
from tracker.services.flag_history import patient_history

TODAY = date(2026, 3, 10)


def test_the_read_is_the_lookback_window_the_previous_checkin_and_the_baselines(patient, now):
    # 40 calm days in a row: no run, no walking minutes, no episode or programme baselines.
    CheckIn.objects.bulk_create(
        CheckIn(
            patient=patient, date=TODAY - timedelta(days=n), back_pain=2, leg_pain=2, numbness=1
        )
        for n in range(40)
    )

    history = patient_history(patient=patient, since=TODAY)

    first = [TODAY - timedelta(days=n) for n in (39, 38, 37)]  # the first 3 check-ins
    before = TODAY - timedelta(days=14)  # the check-in just before t-13 (previous check-in)
    window = [TODAY - timedelta(days=n) for n in range(13, -1, -1)]  # t-13..t
    assert history.dates == [*first, before, *window]
