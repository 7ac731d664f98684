"""The patient's pages stay cheap (issue 16): Today a fixed handful of queries whatever the
history's length, the signed-in user and profile read once, each record read once a page, and
the exercises kept per process still showing a catalogue change at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exercises.models import Exercise
from reminders.services import reminder_schedule_upsert
from tests.tracker.app.support import add_checkins, days_ago
from tests.tracker.dashboard.support import add_flag
from tracker.models import AssignmentItem, SessionLog
from tracker.services.messages import message_send

# session, user, profile (with clinic), the programme's items (exercises kept per process),
# this week's sessions, the stand-up schedule, the check-ins of today and the two days before,
# the urgent flags, the unread messages for the navigation.
TODAY_QUERIES = 9


def _history(patient, programme, days: range) -> None:
    """Check-ins and every item's session on `days` (days ago)."""
    add_checkins(patient, days, back_pain=7)
    items = list(AssignmentItem.objects.filter(assignment=programme).select_related("exercise"))
    SessionLog.objects.bulk_create(
        SessionLog(
            patient=patient,
            item=item,
            exercise=item.exercise,
            performed_at=f"{on.isoformat()}T01:00:00Z",
            performed_on=on,
        )
        for item in items
        for on in patient.checkins.filter(date__lte=days_ago(days.start)).values_list(
            "date", flat=True
        )
        if on >= days_ago(days.stop - 1)
    )


def _today_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/app/")
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_today_costs_the_same_few_queries_for_a_year_of_history(
    app_client, patient, other_patient, therapist, programme, now
):
    reminder_schedule_upsert(user=patient, kind="stand_up", interval_minutes=35)
    add_flag(patient, "night_pain")
    add_flag(patient, "cauda_equina")  # urgent: the emergency block leads the page
    message_send(author=therapist, patient=patient, body="How is the back?")
    client = app_client(patient)
    client.post("/app/sessions/", {"item": str(programme.items.first().public_id)})
    _history(patient, programme, range(1, 4))
    first = _today_queries(client)  # this process reads the catalogue's exercises once
    short = _today_queries(client)

    _history(patient, programme, range(4, 366))
    page = client.get("/app/").content.decode()
    long = _today_queries(client)

    assert len(short) == len(long) <= TODAY_QUERIES
    assert len(first) <= TODAY_QUERIES + 1
    assert "Seek emergency care now" in page and "Undo the last one" in page
    # The signed-in user is read once (by the session's authentication), not again per page.
    assert sum('FROM "tracker_user"' in sql for sql in long) == 1


@pytest.mark.parametrize(
    "path", ["/app/progress/", "/app/checkin/", "/app/guides/", "/app/reminders/", "/app/offline/"]
)
def test_every_patient_page_reads_the_user_and_profile_once(app_client, patient, programme, path):
    with CaptureQueriesContext(connection) as captured:
        assert app_client(patient).get(path).status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]

    assert sum('FROM "tracker_user"' in q for q in sql) == 1
    assert sum('FROM "tracker_patientprofile"' in q for q in sql) == 1


@pytest.mark.parametrize("path", ["/app/reminders/", "/app/welcome/"])
def test_the_reminder_settings_read_both_schedules_at_once(app_client, patient, now, path):
    reminder_schedule_upsert(user=patient, kind="stand_up", interval_minutes=37)
    reminder_schedule_upsert(user=patient, kind="checkin", times_of_day=["21:15"])
    with CaptureQueriesContext(connection) as captured:
        page = app_client(patient).get(path).content.decode()
    sql = [query["sql"] for query in captured.captured_queries]

    assert sum('FROM "reminders_reminderschedule"' in q for q in sql) == 1
    assert 'value="21:15"' in page and 'value="37"' in page


@pytest.mark.parametrize("done", [True, False])
def test_the_check_in_form_reads_the_days_check_in_once(app_client, patient, now, done):
    if done:
        add_checkins(patient, [0])
    with CaptureQueriesContext(connection) as captured:
        page = app_client(patient).get("/app/checkin/").content.decode()
    sql = [query["sql"] for query in captured.captured_queries]

    assert sum('FROM "tracker_checkin"' in q for q in sql) == 1
    assert ("You have already checked in today" in page) is done


def test_today_shows_a_catalogue_change_at_once(app_client, patient, programme, now):
    """The exercises are kept per process: a change saved here, or by another process (which
    moves updated_at without telling this one), shows on the next page."""
    client = app_client(patient)
    assert "Five-point bridge" in client.get("/app/").content.decode()

    bridge = Exercise.objects.get(key="five_point_bridge")
    bridge.name_en = "Five-point bridge (gentle)"
    bridge.save()
    assert "Five-point bridge (gentle)" in client.get("/app/").content.decode()

    Exercise.objects.filter(pk=bridge.pk).update(
        name_en="Bridge on five points", updated_at=timezone.now() + timedelta(seconds=1)
    )
    page = client.get("/app/").content.decode()
    assert "Bridge on five points" in page and "(gentle)" not in page


# A first read of a new answer: session, user, profile, read marker, conversation, marking it
# read (a savepoint, the latest id, the marker created in its own savepoint and moved, the inbox
# entry, release: 9), the audit row, the messages, the about choices (check-ins, sessions,
# items). The navigation's unread count is not counted again after everything was marked read.
MESSAGES_QUERIES = 19


def test_the_messages_page_does_not_count_what_it_just_marked_read(
    app_client, patient, therapist, programme
):
    message_send(author=therapist, patient=patient, body="How is the back?")
    client = app_client(patient)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/app/messages/").content.decode()
    sql = [query["sql"] for query in captured.captured_queries]

    assert "How is the back?" in page and 'class="badge"' not in page
    assert len(sql) <= MESSAGES_QUERIES
    assert not any("COUNT(*)" in query for query in sql)
    # Elsewhere the badge still counts a new answer.
    message_send(author=therapist, patient=patient, body="And today?")
    assert 'class="badge"' in client.get("/app/").content.decode()


def test_the_guides_show_a_catalogue_change_at_once(app_client, patient, programme, now):
    """The guides read the exercises from the same per-process store (by updated_at)."""
    client = app_client(patient)
    for path in ("/app/guides/", "/app/guides/plank/", "/app/guides/plank/play/"):
        assert "Plank" in client.get(path).content.decode()
    Exercise.objects.filter(key="plank").update(
        name_en="Forearm plank", updated_at=timezone.now() + timedelta(seconds=1)
    )
    for path in ("/app/guides/", "/app/guides/plank/", "/app/guides/plank/play/"):
        assert "Forearm plank" in client.get(path).content.decode(), path


# Statements per page for a patient with a programme, a stand-up schedule and a week of
# history (the session, the user, the profile and the navigation's unread count included).
PAGE_QUERIES = {
    "/app/": TODAY_QUERIES,
    "/app/checkin/": 5,
    "/app/checkin/thanks/": 6,
    "/app/progress/": 12,
    "/app/progress/?range=90": 12,
    "/app/psfs/": 7,
    "/app/reminders/": 7,
    "/app/welcome/": 5,
    "/app/guides/": 6,
    "/app/guides/glute_bridge/": 6,
    "/app/guides/glute_bridge/play/": 6,
    "/app/offline/": 4,
}


@pytest.mark.parametrize("path", PAGE_QUERIES)
def test_each_patient_page_stays_within_its_statements(app_client, patient, programme, now, path):
    reminder_schedule_upsert(user=patient, kind="stand_up", interval_minutes=35)
    _history(patient, programme, range(1, 8))
    client = app_client(patient)
    client.get(path)  # this process reads the catalogue's exercises once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    assert len(captured.captured_queries) <= PAGE_QUERIES[path]
