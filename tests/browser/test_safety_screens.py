"""Screenshots at 360 × 640, in both languages, of the pages issue 9 changed: the emergency
screen (raised by the phone offline, and answered by the server without JavaScript), Today while
an urgent flag is open, the thanks page naming a high flag, Progress folding older warnings, and
a source article's page. Each also checks the page fits the phone's width.

UPDATE_DOCS_SCREENSHOTS=en (or zh) copies them into docs/screenshots/.
"""

import os
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS, PHONE, ROOT, service_worker_ready, sign_in
from tracker.models import CheckIn, Clinic, Flag, FlagEvidence

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _shot(page, name: str, language: str, *, full_page: bool = False) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{language}.png"
    page.screenshot(path=path, full_page=full_page)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == language:
        shutil.copy(path, ROOT / "docs" / "screenshots" / path.name)


def _scores(page):
    for name, value in (("back_pain", 3), ("leg_pain", 4), ("numbness", 2)):
        page.locator(f"#q-{name} label.score", has_text=str(value)).first.click()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_safety_screens(demo, new_context, chromium, live_server, language):
    today = timezone.localdate(timezone=demo.patient_profile.tzinfo)
    Clinic.objects.filter(pk=demo.patient_profile.clinic_id).update(phone="010 6512 3456")
    CheckIn.objects.filter(patient=demo, date=today).delete()
    Flag.objects.filter(patient=demo).delete()
    saddle = "Numbness between the legs" if language == "en" else "两腿之间或臀部周围麻木"

    # The phone's own screen, without signal.
    context = new_context(language)
    page = sign_in(context, "demo_patient")
    service_worker_ready(page)
    context.set_offline(True)
    page.goto("/app/checkin/")
    _scores(page)
    page.locator("label.check", has_text=saddle).click()
    page.locator("button[type=submit].big").click()
    page.get_by_role("alertdialog").wait_for()
    _shot(page, "emergency", language)
    context.close()

    # The same screen, answered by the server to a form post without JavaScript.
    nojs = chromium.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    try:
        page = sign_in(nojs, "demo_patient", language=language)
        page.goto("/app/checkin/")
        _scores(page)
        page.locator("label.check", has_text=saddle).click()
        with page.expect_navigation():
            page.locator("button[type=submit].big").click()
        _shot(page, "emergency-nojs", language)
    finally:
        nojs.close()

    # Today while that urgent flag is open.
    context = new_context(language)
    page = sign_in(context, "demo_patient")
    page.goto("/app/")
    _shot(page, "today-urgent", language)

    # The page after a check-in that raised a high and a medium flag.
    Flag.objects.filter(patient=demo).delete()
    for rule, severity in (("sudden_worsening", "high"), ("night_pain", "medium")):
        entry = {"date": today.isoformat(), "previous_date": "", "leg_pain": 7}
        flag = Flag.objects.create(
            patient=demo,
            rule=rule,
            severity=severity,
            latest_evidence=entry,
            opened_on=today,
            last_evidence_on=today,
        )
        FlagEvidence.objects.create(flag=flag, on=today, data=entry)
    page.goto("/app/checkin/thanks/")
    _shot(page, "thanks-high", language)

    # Progress: one warning from this week, one folded under "earlier".
    old = today - timedelta(days=20)
    flag = Flag.objects.create(
        patient=demo,
        rule="claudication",
        severity="high",
        latest_evidence={"date": old.isoformat()},
        opened_on=old - timedelta(days=5),
        last_evidence_on=old,
    )
    for on in (old - timedelta(days=5), old):
        FlagEvidence.objects.create(flag=flag, on=on, data={"date": on.isoformat()})
    Flag.objects.filter(rule="night_pain", patient=demo).delete()
    page.goto("/app/progress/")
    page.locator("#advice").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('advice').scrollIntoView()")
    _shot(page, "progress-earlier", language)

    page.goto("/sources/a3/")
    _shot(page, "source", language)
