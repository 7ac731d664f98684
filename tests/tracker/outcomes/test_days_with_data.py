"""The clinic's days-with-data table (page and CSV): per patient and 30-day period."""

from datetime import date, timedelta

import pytest

from tests.factories import CheckInFactory, SessionLogFactory, UserFactory
from tests.tracker.support import enroll
from tracker.models import AuditEvent

pytestmark = pytest.mark.django_db

END = date(2026, 3, 10)
PAGE = "/therapist/clinic/days-with-data/"
CSV = "/therapist/clinic/days-with-data.csv"


def _data(patient, *, checkin_days, session_days=()):
    for n in checkin_days:
        CheckInFactory(patient=patient, date=END - timedelta(days=n))
    for n in session_days:
        on = END - timedelta(days=n)
        SessionLogFactory(patient=patient, performed_at=f"{on}T02:00:00Z", performed_on=on)


@pytest.fixture
def clinic(patient, therapist, other_patient):
    # patient: 10 check-in days + 8 session days (2 shared) in the latest period = 16 days.
    _data(patient, checkin_days=range(0, 10), session_days=[8, 9, 10, 11, 12, 13, 14, 15])
    # one day in the period before
    _data(patient, checkin_days=[40])
    quiet = enroll(UserFactory(username="quiet"), therapist, display_name="Quiet")
    _data(quiet, checkin_days=[1, 2, 3])
    _data(other_patient, checkin_days=range(0, 20))  # another clinic's
    return quiet


def test_the_page_counts_days_per_period_and_gives_the_16_day_context(
    client, clinic_admin, patient, clinic
):
    client.force_login(clinic_admin)
    response = client.get(PAGE, {"end": "2026-03-10", "periods": "2"})
    assert response.status_code == 200
    table = response.context["table"]
    counts = {row.profile.display_name: row.counts for row in table.rows}
    assert counts == {"Pat": (1, 16), "Quiet": (0, 3)}
    assert table.reached_counts == (0, 1)
    html = response.content.decode()
    assert "2026-02-09 – 2026-03-10" in html
    assert "16" in html and "Other" not in html
    assert "美国远程监测" in html  # the context line, in the default language


def test_the_csv_has_one_row_per_patient_and_the_context_line(
    client, clinic_admin, patient, clinic
):
    client.force_login(clinic_admin)
    response = client.get(CSV, {"end": "2026-03-10", "periods": "1"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "patient_id,patient,2026-02-09..2026-03-10"
    assert f"{patient.public_id},Pat,16" in lines
    assert f"{clinic.public_id},Quiet,3" in lines
    assert "16" in lines[-1]
    events = AuditEvent.objects.filter(object_type="days_with_data", action="export")
    assert {e.patient for e in events} == {patient, clinic}


def test_reading_the_page_is_audited_per_patient(client, clinic_admin, patient, clinic):
    client.force_login(clinic_admin)
    client.get(PAGE)
    events = AuditEvent.objects.filter(object_type="days_with_data", action="read")
    assert {e.patient for e in events} == {patient, clinic}


def test_only_clinic_admins_and_only_their_clinic(
    client, therapist, patient, other_clinic_admin, clinic
):
    client.force_login(therapist)
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403
    client.force_login(other_clinic_admin)
    rows = client.get(PAGE).context["table"].rows
    assert [row.profile.display_name for row in rows] == ["Other"]
    client.force_login(patient)
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize("query", [{"periods": "0"}, {"periods": "13"}, {"end": "soon"}])
def test_bad_input_is_400(client, clinic_admin, query):
    client.force_login(clinic_admin)
    response = client.get(PAGE, query)
    assert response.status_code == 400
    assert next(iter(query)) in response.content.decode()
