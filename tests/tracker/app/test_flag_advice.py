"""What the patient is told about each flag (CLINICAL.md §4a): the page after a check-in names
every high or medium flag it raised with what to do; Progress shows warnings with evidence in
the last 14 days and folds older ones under "earlier"; every flag cites its article by title."""

from datetime import timedelta

from tests.tracker.app.support import CHECKIN, TODAY, add_checkins, days_ago
from tests.tracker.dashboard.support import add_flag, set_evidence
from tracker.models import Clinic, Flag


def _thanks(client, body):
    response = client.post("/app/checkin/", body, follow=True)
    assert response.redirect_chain[-1][0] == "/app/checkin/thanks/"
    return response.content.decode()


def test_a_sudden_worsening_is_named_on_the_thanks_page(app_client, patient, now):
    Clinic.objects.filter(pk=patient.patient_profile.clinic_id).update(phone="010 6512 3456")
    add_checkins(patient, [1], leg_pain=2, back_pain=2)

    page = _thanks(app_client(patient), {**CHECKIN, "leg_pain": "5"})  # up 3 points

    assert Flag.objects.get(patient=patient).rule == "sudden_worsening"
    raised = page[page.index("data-raised") : page.index('id="week-title"')]
    assert "Your pain is much worse than at your last check-in." in raised
    assert "Please contact your therapist within a day. Clinic phone: 010 6512 3456." in raised
    assert 'href="tel:01065123456"' in raised
    # ... and it comes before the week's averages, which may well read "about the same".
    assert page.index("data-raised") < page.index('id="week-title"')


def test_a_medium_flag_says_to_mention_it_at_the_next_contact(app_client, patient, now):
    add_checkins(patient, [1], night_pain=True)

    page = _thanks(app_client(patient), {**CHECKIN, "night_pain": "on"})

    assert Flag.objects.get(patient=patient).rule == "night_pain"
    assert "Pain has kept you awake on recent nights." in page
    assert "Mention it at your next contact with your therapist." in page
    assert "within a day" not in page


def test_a_quiet_check_in_raises_nothing(app_client, patient, now):
    page = _thanks(app_client(patient), CHECKIN)

    assert "data-raised" not in page


def test_flags_not_touched_today_are_not_on_the_thanks_page(app_client, patient, now):
    add_flag(patient, "night_pain", on=days_ago(3))

    page = _thanks(app_client(patient), CHECKIN)

    assert "Pain has kept you awake" not in page


def test_the_thanks_page_in_chinese(app_client, patient, now):
    add_checkins(patient, [1], leg_pain=2, back_pain=2)

    page = _thanks(app_client(patient, "zh-hans"), {**CHECKIN, "leg_pain": "5"})

    assert "您的疼痛比上次明显加重" in page
    assert "请在一天之内联系您的治疗师。" in page


def test_progress_folds_warnings_without_evidence_for_14_days(app_client, patient, now):
    add_flag(patient, "night_pain", on=days_ago(13))  # 14 days counting today: still recent
    old = add_flag(patient, "claudication", on=days_ago(14))
    set_evidence(old, [{"date": days_ago(30).isoformat()}, {"date": days_ago(14).isoformat()}])

    page = app_client(patient).get("/app/progress/").content.decode()

    earlier = page[page.index('<details class="card earlier"') : page.index("</details>")]
    recent = page[page.index('id="advice-title"') : page.index("<details")]
    assert "Pain has kept you awake" in recent and "Pain has kept you awake" not in earlier
    assert "had to stop walking" in earlier and "had to stop walking" not in recent
    assert "Earlier: 1 warning with nothing new in the last 14 days" in earlier
    # When it opened is the date of its first evidence, not when the row was written.
    assert "Since Feb. 8, 2026, last noted Feb. 24, 2026." in earlier  # 30 and 14 days ago


def test_no_earlier_section_when_every_warning_is_recent(app_client, patient, now):
    add_flag(patient, "night_pain", on=TODAY - timedelta(days=2))

    page = app_client(patient).get("/app/progress/").content.decode()

    assert '<details class="card earlier"' not in page


def test_each_warning_says_what_to_do_and_cites_its_article(app_client, patient, now):
    add_flag(patient, "pain_down_numbness_up")

    page = app_client(patient).get("/app/progress/").content.decode()

    assert "Please contact your therapist within a day." in page
    assert (
        '<a href="/sources/a2/">Leg numbness in disc herniation is not improvement: '
        "the nerve is calling for help</a>"
    ) in page
    assert ".txt" not in page


def test_no_patient_page_shows_a_seed_file_name(app_client, patient, now, programme):
    import re

    for rule in ("pain_down_numbness_up", "night_pain", "adherence_drop"):
        add_flag(patient, rule)
    client = app_client(patient)
    for path in ("/app/", "/app/checkin/", "/app/checkin/thanks/", "/app/progress/"):
        html = client.get(path).content.decode()
        assert not re.search(r"\d{3}_[0-9a-f]{16}|\.txt\b", html), path
    assert "/sources/a1/" in client.get("/app/").content.decode()  # the items cite theirs
