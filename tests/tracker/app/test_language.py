"""The patient's language is their profile's (issue 9): it is chosen in the app, the header's
switcher changes it too, and pages, programme notes, advice, reminders and API errors follow it,
whatever the browser asks for."""

from knox.models import AuthToken

from reminders.models import ReminderSchedule
from tests.tracker.dashboard.support import add_flag
from tracker.models import AuditEvent, PatientProfile
from tracker.services.assignments import assignment_change
from tracker.services.patient_reminders import patient_reminders_set_up


def _set_profile_language(patient, language):
    PatientProfile.objects.filter(user=patient).update(language=language)


def test_pages_follow_the_profile_not_the_browser(client, patient, now):
    _set_profile_language(patient, "en")
    client.force_login(patient)

    page = client.get("/app/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert '<html lang="en">' in page
    assert "Your exercises today" in page


def test_a_chinese_profile_reads_chinese_in_an_english_browser(client, patient, now):
    client.force_login(patient)

    page = client.get("/app/progress/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="zh-hans">' in page


def test_the_header_switcher_changes_the_profile_and_the_reminders(client, patient, now):
    patient_reminders_set_up(profile=patient.patient_profile)
    client.force_login(patient)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/app/"})

    assert response.status_code == 302 and response["Location"] == "/app/"
    assert PatientProfile.objects.get(user=patient).language == "en"
    schedules = ReminderSchedule.objects.filter(user=patient)
    assert schedules.count() == 2
    assert set(schedules.values_list("language", flat=True)) == {"en"}
    assert AuditEvent.objects.filter(patient=patient, object_type="patient").exists()
    page = client.get("/app/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Language changed. Your reminders follow it too." in page
    assert "Your exercises today" in page


def test_the_settings_page_offers_the_language(client, patient, now):
    client.force_login(patient)

    page = client.get("/app/reminders/").content.decode()

    assert 'action="/i18n/setlang/"' in page
    assert 'name="language" value="en"' in page
    assert 'name="language" value="zh-hans" checked' in page


def test_an_unknown_language_changes_nothing(client, patient, now):
    client.force_login(patient)

    client.post("/i18n/setlang/", {"language": "fr", "next": "/app/"})

    assert PatientProfile.objects.get(user=patient).language == "zh-hans"


def test_a_therapists_switch_is_only_their_browsers(client, therapist, patient, now):
    client.force_login(therapist)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/therapist/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert PatientProfile.objects.get(user=patient).language == "zh-hans"


def test_programme_notes_are_kept_in_both_languages(client, patient, therapist, now):
    assignment = assignment_change(
        patient=patient, therapist=therapist, template_key="disc_recovery"
    )
    item = assignment.items.get(exercise__key="plank")
    assert (item.note, item.note_en) == (
        "至少坚持 4 周，最多 12 周",
        "Keep going at least 4 weeks, up to 12",
    )
    client.force_login(patient)

    assert "至少坚持 4 周，最多 12 周" in client.get("/app/").content.decode()
    _set_profile_language(patient, "en")
    assert "Keep going at least 4 weeks, up to 12" in client.get("/app/").content.decode()


def test_a_therapists_own_note_replaces_both(patient, therapist, now):
    assignment_change(patient=patient, therapist=therapist, template_key="disc_recovery")

    assignment = assignment_change(
        patient=patient, therapist=therapist, changes=[{"exercise": "plank", "note": "慢慢来"}]
    )

    item = assignment.items.get(exercise__key="plank")
    assert (item.note, item.note_en, item.note_in("en")) == ("慢慢来", "", "慢慢来")


def test_flag_advice_follows_the_profile(client, patient, now):
    add_flag(patient, "night_pain")
    _set_profile_language(patient, "en")
    client.force_login(patient)

    page = client.get("/app/progress/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "Pain has kept you awake on recent nights." in page
    assert "Mention it at your next contact with your therapist." in page


def test_api_errors_come_in_the_patients_language(client, patient, now):
    _, token = AuthToken.objects.create(user=patient)

    response = client.post(
        "/api/v1/checkins/",
        {"date": "2026-03-10"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["back_pain"] == ["该字段是必填项。"]


def test_the_check_in_services_refusals_come_in_the_patients_language(client, patient, now):
    _, token = AuthToken.objects.create(user=patient)
    body = {"date": "2026-03-11", "back_pain": 1, "leg_pain": 1, "numbness": 1}

    response = client.post(
        "/api/v1/checkins/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["date"] == ["这个日期在未来（按您的时区）。"]
