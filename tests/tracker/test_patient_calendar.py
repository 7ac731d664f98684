from datetime import UTC, date, datetime

from tracker.models import PatientProfile
from tracker.patient_calendar import local_today


def test_a_patients_today_is_the_date_where_they_live():
    # 17:30 UTC on 1 March is already 2 March in Shanghai, still 1 March in New York.
    now = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    assert local_today(PatientProfile(timezone="Asia/Shanghai"), now) == date(2026, 3, 2)
    assert local_today(PatientProfile(timezone="America/New_York"), now) == date(2026, 3, 1)
