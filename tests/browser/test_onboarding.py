"""Issue 10's onboarding in Chromium: a therapist at 1366 × 768 adds a patient and reads the
invitation's code and link; the patient, on a 360 × 640 phone in a second browser context,
opens the link, chooses a password and lands on the welcome page. Screenshots of the new pages
in both languages (UPDATE_DOCS_SCREENSHOTS=en or zh copies them into docs/screenshots/)."""

import os
import shutil

import pytest

from tests.browser.conftest import ARTIFACTS, LANGUAGES, PHONE, ROOT, sign_in
from tests.factories import PASSWORD, ClinicAdminFactory, TherapistFactory
from tracker.models import Invitation, PatientProfile, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DESKTOP = {"width": 1366, "height": 768}
TIMEOUT = 30_000
NEW_PASSWORD = "Quiet-river-2026"


def _context(chromium, live_server, language: str, viewport: dict):
    accept = LANGUAGES[language]
    context = chromium.new_context(
        base_url=live_server.url,
        viewport=viewport,
        device_scale_factor=1,
        locale=accept,
        extra_http_headers={"Accept-Language": accept},
    )
    context.set_default_timeout(TIMEOUT)
    return context


def _shot(page, name: str, language: str, width: int, *, full_page: bool = False) -> None:
    # Nothing wider than the window: no sideways scrolling on a tablet or a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{language}.png"
    page.screenshot(path=path, full_page=full_page)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == language:
        shutil.copy(path, ROOT / "docs" / "screenshots" / path.name)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_therapist_adds_a_patient_who_accepts_on_their_phone(
    chromium, live_server, settings, language
):
    settings.SITE_URL = live_server.url  # the link in the invitation points at this server
    therapist = TherapistFactory(username="dr_chen", first_name="Chen", last_name="Jing")
    TherapistFactory(username="dr_li", first_name="Li", last_name="Na", clinic=therapist.clinic)
    desk = _context(chromium, live_server, language, DESKTOP)
    phone = _context(chromium, live_server, language, PHONE)
    try:
        page = sign_in(desk, "dr_chen", PASSWORD)
        page.goto("/therapist/")
        with page.expect_navigation():
            page.locator("main a[href='/therapist/patients/new/']").click()

        # A first try without a name: a clear error, nothing stored.
        page.fill("#id_email", "fang@example.org")
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()
        assert page.locator(".form-errors").is_visible()
        assert page.locator(".field-error").first.is_visible()
        assert not PatientProfile.objects.exists()
        _shot(page, "onboarding-new-patient", language, DESKTOP["width"], full_page=True)

        page.fill("#id_display_name", "王芳" if language == "zh" else "Wang Fang")
        page.fill("#id_phone", "+86 138 0013 8000")
        page.select_option("#id_language", "zh-hans" if language == "zh" else "en")
        page.fill("#id_date_of_birth", "1958-05-20")
        page.check("input[name=conditions][value=older_adult]")
        page.check("input[name=conditions][value=sciatica]")
        page.select_option("#id_template", "circulation")
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()

        code = page.locator("[data-invite-code]").inner_text().strip()
        link = page.locator("[data-invite-link]").get_attribute("href")
        assert len(code) == 9 and link.startswith(live_server.url)
        assert page.locator(".qr svg").is_visible()
        _shot(page, "onboarding-invitation", language, DESKTOP["width"])

        # The patient's phone: the link, their own password, the welcome page.
        mobile = phone.new_page()
        mobile.goto(link)
        mobile.fill("#id_username", "wangfang")
        mobile.fill("#id_password", NEW_PASSWORD)
        mobile.fill("#id_password_again", NEW_PASSWORD)
        _shot(mobile, "onboarding-accept", language, PHONE["width"], full_page=True)
        with mobile.expect_navigation():
            mobile.locator("main button[type=submit]").click()
        assert mobile.url.endswith("/app/welcome/")
        user = User.objects.get(username="wangfang")
        assert user.check_password(NEW_PASSWORD) and user.is_patient
        assert Invitation.objects.get(user=user).accepted_at is not None

        # The same link again: a clear page, not an error.
        mobile.goto(link)
        assert mobile.locator("[data-reason=used]").is_visible()

        # Back at the desk: the care-team box on the patient's page, then the clinic page.
        page.goto(f"/therapist/patients/{user.public_id}/")
        page.locator("#care-team-heading").wait_for()
        _shot(page, "onboarding-care-team", language, DESKTOP["width"])
        with page.expect_navigation():
            page.locator("[data-add-colleague]").click()
        page.locator("#care-team-add").select_option(label="Li Na")
        with page.expect_navigation():
            page.locator(
                ".care-team button", has_text="添加" if language == "zh" else "Add"
            ).click()
        assert user.care_team.count() == 2
        desk.clear_cookies()
        ClinicAdminFactory(username="admin_wu", clinic=therapist.clinic)
        admin = sign_in(desk, "admin_wu", PASSWORD)
        admin.goto("/therapist/clinic/")
        assert admin.locator("#therapists-heading").is_visible()
        _shot(admin, "onboarding-clinic", language, DESKTOP["width"])
    finally:
        desk.close()
        phone.close()
