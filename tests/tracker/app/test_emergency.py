"""The emergency screen (CLINICAL.md §4a, §6): it names the answer that raised it, offers
tap-to-call links for the emergency number and the clinic's phone, and every patient page carries
it, so the phone can show it at once without signal. The JS and no-JS screens are one template."""

import re

import pytest

from tests.tracker.app.support import CHECKIN
from tests.tracker.dashboard.support import add_flag, set_evidence
from tests.tracker.support import api  # noqa: F401 - fixture
from tracker.models import Clinic, Flag

REASONS = {
    "bowel_bladder_change": "You reported new trouble passing urine or opening your bowels",
    "saddle_numbness": "You reported numbness around the saddle area",
    "cannot_walk_on_heels": "You said you cannot walk on your heels.",
    "cannot_walk_on_toes": "You said you cannot walk on your toes.",
}


def _shown_reasons(html: str, section_id: str) -> list[str]:
    """The reasons a screen shows (not hidden) inside the element whose title has `section_id`."""
    start = html.index(f'id="{section_id}-title"')
    end = html.index("data-emergency-status", start)
    return re.findall(r'<li data-reason="(\w+)">', html[start:end])


@pytest.mark.parametrize("answer", list(REASONS))
def test_the_no_js_screen_names_the_answer_that_raised_it(app_client, patient, now, answer):
    page = app_client(patient).post("/app/checkin/", {**CHECKIN, answer: "on"}).content.decode()

    assert REASONS[answer] in page
    assert _shown_reasons(page, "urgent") == [answer]
    assert 'href="tel:120"' in page  # the clinic's country (China) by default
    assert "Call 120 (emergency)" in page


def test_two_urgent_answers_are_both_named(app_client, patient, now):
    body = {**CHECKIN, "saddle_numbness": "on", "cannot_walk_on_toes": "on"}

    page = app_client(patient).post("/app/checkin/", body).content.decode()

    assert _shown_reasons(page, "urgent") == ["saddle_numbness", "cannot_walk_on_toes"]


def test_the_clinic_phone_and_its_countrys_number(app_client, patient, now):
    Clinic.objects.filter(pk=patient.patient_profile.clinic_id).update(
        country="GB", phone="+44 20 7946 0000"
    )

    page = app_client(patient).post("/app/checkin/", {**CHECKIN, "saddle_numbness": "on"})

    html = page.content.decode()
    assert 'href="tel:999"' in html
    assert 'href="tel:+442079460000"' in html
    assert "Call your clinic: +44\u00a020\u00a07946\u00a00000" in html  # never broken


def test_a_clinics_own_emergency_number_wins(app_client, patient, now):
    Clinic.objects.filter(pk=patient.patient_profile.clinic_id).update(
        country="DE", emergency_number="112 00"
    )

    html = app_client(patient).get("/app/checkin/").content.decode()

    assert 'href="tel:11200"' in html
    assert 'href="tel:112"' not in html


def test_a_patient_without_a_clinic_gets_the_default_number(app_client, patient, now, settings):
    settings.DEFAULT_EMERGENCY_NUMBER = "911"
    type(patient.patient_profile).objects.filter(user=patient).update(clinic=None)

    html = app_client(patient).get("/app/checkin/").content.decode()

    assert 'href="tel:911"' in html


def test_the_check_in_page_already_holds_the_screen_for_offline_use(app_client, patient, now):
    html = app_client(patient).get("/app/checkin/").content.decode()

    dialog = html[html.index('<div id="emergency"') :]
    assert re.search(r"\shidden\s", dialog.split(">", 1)[0])  # app.js shows it: no request needed
    for answer, text in REASONS.items():
        assert f'<li data-reason="{answer}" hidden>{text}' in dialog
    assert 'href="tel:120"' in dialog
    assert "data-t-offline=" in html and "goes to your therapist by itself" in html
    assert "<script>" not in html and "onclick" not in html  # the CSP to come: no inline script


def test_the_phone_and_the_form_post_say_the_same(app_client, patient, now):
    """One partial: the hidden screen app.js raises and the page the form post answers with."""
    client = app_client(patient)
    offline = client.get("/app/checkin/").content.decode()
    posted = client.post("/app/checkin/", {**CHECKIN, "saddle_numbness": "on"}).content.decode()

    def screen(html, prefix):
        start = html.index(">", html.index(f'id="{prefix}-title"'))
        text = html[start + 1 : html.index('<p class="status"', start)]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()

    assert screen(offline, "emergency") == screen(posted, "urgent")


def test_the_screen_in_chinese(app_client, patient, now):
    html = app_client(patient, "zh-hans").post(
        "/app/checkin/", {**CHECKIN, "saddle_numbness": "on"}
    )

    page = html.content.decode()
    assert "您报告了会阴（马鞍区：两腿之间、臀部周围）麻木。" in page
    assert "拨打 120（急救）" in page


def test_today_leads_with_the_instruction_while_an_urgent_flag_is_open(
    app_client, patient, now, programme
):
    flag = add_flag(patient, "cauda_equina")
    set_evidence(flag, [{"date": "2026-03-10", "saddle_numbness": True}])

    html = app_client(patient).get("/app/").content.decode()

    main = html[html.index('<main id="main">') :]
    urgent = main.index("data-urgent-open")
    assert urgent < main.index("<h1>")  # before the day's heading and exercises
    assert urgent < main.index("Your exercises today")
    assert _shown_reasons(main, "urgent") == ["saddle_numbness"]
    assert 'href="tel:120"' in main[urgent : main.index("<h1>")]


def test_today_without_an_urgent_flag_has_no_instruction(app_client, patient, now):
    add_flag(patient, "night_pain")

    html = app_client(patient).get("/app/").content.decode()

    assert "data-urgent-open" not in html


def test_the_api_answer_still_says_to_seek_care(api, patient, now):  # noqa: F811 - fixture
    response = api(patient).post(
        "/api/v1/checkins/",
        {**{k: int(v) for k, v in CHECKIN.items()}, "date": "2026-03-10", "saddle_numbness": True},
        format="json",
    )

    assert response.json()["seek_emergency_care"] is True
    assert Flag.objects.filter(patient=patient, rule="cauda_equina").count() == 1
