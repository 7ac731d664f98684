"""Issue 10's whole day in Chromium: a therapist at 1366 × 768 adds a patient, who accepts the
invitation on a 360 × 640 phone in a second browser context and sets a password; the therapist
builds a programme from a template with one caution override; the patient logs a session and
an urgent check-in with a note; the therapist finds the alert in the inbox, reads the note and
the answers on the patient's page, and exports the record."""

import json
import time
from pathlib import Path

import pytest
from django.db import OperationalError

from tests.browser.conftest import LANGUAGES, PHONE, sign_in
from tests.factories import PASSWORD, TherapistFactory
from tracker.models import CheckIn, Flag, SessionLog, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DESKTOP = {"width": 1366, "height": 768}
NEW_PASSWORD = "Quiet-river-2026"
NOTE = "Numb between the legs since this morning, and the leg is weaker."
OVERRIDE = "Stable on imaging; done under supervision in clinic."


def _context(chromium, live_server, viewport: dict):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport=viewport,
        device_scale_factor=1,
        locale=LANGUAGES["en"],
        extra_http_headers={"Accept-Language": "en"},
        service_workers="allow",
    )
    context.set_default_timeout(30_000)
    return context


def _until(check, what: str, seconds: float = 30):
    for _ in range(int(seconds * 10)):
        try:
            value = check()
        except OperationalError:  # SQLite: the live server is writing that table just now
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_therapists_day_from_a_new_patient_to_the_export(
    chromium, live_server, settings, tmp_path: Path
):
    settings.SITE_URL = live_server.url  # the invitation's link points at this server
    TherapistFactory(username="dr_chen", first_name="Chen", last_name="Jing")
    desk = _context(chromium, live_server, DESKTOP)
    phone = _context(chromium, live_server, PHONE)
    try:
        # 1. The therapist adds a patient with lumbar instability; the invitation is on screen.
        page = sign_in(desk, "dr_chen", PASSWORD)
        page.goto("/therapist/patients/new/")
        page.fill("#id_display_name", "Wang Fang")
        page.fill("#id_email", "fang@example.org")
        page.select_option("#id_language", "en")
        page.fill("#id_date_of_birth", "1971-05-20")
        page.check("input[name=conditions][value=lumbar_instability]")
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()
        link = page.locator("[data-invite-link]").get_attribute("href")
        assert page.locator(".qr svg").is_visible()

        # 2. On the phone: the link, a password of their own, the welcome page.
        mobile = phone.new_page()
        mobile.goto(link)
        mobile.fill("#id_username", "wangfang")
        mobile.fill("#id_password", NEW_PASSWORD)
        mobile.fill("#id_password_again", NEW_PASSWORD)
        with mobile.expect_navigation():
            mobile.locator("main button[type=submit]").click()
        assert mobile.url.endswith("/app/welcome/")
        patient = User.objects.get(username="wangfang")

        # 3. The programme, from a template, with one caution overridden and the reason kept.
        page.goto(f"/therapist/patients/{patient.public_id}/")
        with page.expect_navigation():
            page.click(".programme-links a.button")
        with page.expect_navigation():
            page.click("a.chip[href='?start=disc_recovery']")
        row = page.locator("#row-superman")
        assert "caution" in (row.get_attribute("class") or "")
        row.locator("textarea").fill(OVERRIDE)
        with page.expect_navigation():
            page.click("button[value=save]")
        assert page.get_by_text(OVERRIDE).count() == 1
        item = patient.assignments.get(is_current=True).items.get(exercise__key="superman")
        assert item.override_reason == OVERRIDE

        # 4. The patient does an exercise, then checks in with an urgent answer and a note.
        mobile.goto("/app/")
        mobile.get_by_role("button", name="Done: Five-point bridge").click()
        mobile.wait_for_selector("li.item.is-done")
        _until(lambda: SessionLog.objects.filter(patient=patient).exists(), "the session")
        mobile.goto("/app/checkin/")
        for name, value in (("back_pain", 3), ("leg_pain", 4), ("numbness", 5)):
            mobile.locator(f"#q-{name} label.score", has_text=str(value)).first.click()
        mobile.locator("label.check", has_text="Numbness between the legs").click()
        mobile.fill("#id_note", NOTE)
        mobile.locator("button[type=submit].big").click()
        mobile.get_by_role("alertdialog").wait_for()  # the emergency screen, at once
        checkin = _until(
            lambda: CheckIn.objects.filter(patient=patient).first(), "the check-in to arrive"
        )
        assert checkin.saddle_numbness and checkin.note == NOTE
        assert Flag.objects.get(patient=patient, rule="cauda_equina").status == "open"

        # 5. The therapist's inbox has the urgent alert; the patient page has the answers.
        page.goto("/therapist/inbox/")
        alert = page.locator("main li", has_text="Wang Fang").first
        assert "Urgent" in alert.inner_text()
        page.goto(f"/therapist/patients/{patient.public_id}/")
        main = page.locator("main")
        assert NOTE in main.inner_text()
        assert "Saddle numbness: yes" in " ".join(main.inner_text().split())  # the box they ticked

        # 6. The export holds the note, the session, the flag and the override.
        with page.expect_download() as download:
            page.locator(".exports a", has_text="JSON").click()
        assert download.value.suggested_filename.startswith("rehab-")
        saved = tmp_path / "export.json"
        download.value.save_as(saved)
        exported = json.loads(saved.read_text())
        assert [c["note"] for c in exported["checkins"]] == [NOTE]
        assert len(exported["sessions"]) == 1
        assert any(flag["rule"] == "cauda_equina" for flag in exported["flags"])
        items = exported["assignments"][-1]["items"]
        assert any(i["override_reason"] == OVERRIDE for i in items)
    finally:
        desk.close()
        phone.close()
