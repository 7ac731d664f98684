"""The programme builder in a real browser at 1366 × 768: a therapist builds a programme from a
template with one caution override, previews and saves it; the patient, in a second context at
360 × 640, finds it on Today. Screenshots of the builder, the preview and the history in both
languages (UPDATE_DOCS_SCREENSHOTS=en or zh copies them into docs/screenshots/).
"""

import os
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS, ROOT, sign_in
from tests.factories import PASSWORD, UserFactory
from tests.tracker.support import enroll
from tracker.models import ProgrammeAssignment, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 768}
REASON = {"en": "Stable on imaging; supervised in clinic.", "zh": "影像显示稳定，在诊所指导下做。"}
SUPERMAN = {"en": "Prone back extension", "zh": "小燕飞"}
BRIDGE = {"en": "Five-point bridge", "zh": "五点支撑"}


def _shot(page, name: str, language: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{language}.png"
    page.screenshot(path=path)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == language:
        shutil.copy(path, ROOT / "docs" / "screenshots" / path.name)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_build_from_a_template_with_one_override_and_the_patient_sees_it_today(
    demo, new_context, language
):
    therapist = User.objects.get(username="demo_therapist")
    patient = enroll(
        UserFactory(username="li_lei"),
        therapist,
        display_name="李雷" if language == "zh" else "Lei Li",
        language="zh-hans" if language == "zh" else "en",
        conditions=["lumbar_instability"],
        episode_started_on=timezone.localdate() - timedelta(days=40),
    )
    staff = new_context(language)
    page = sign_in(staff, "demo_therapist")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/therapist/patients/{patient.public_id}/")
    with page.expect_navigation():
        page.click(".programme-links a.button")
    with page.expect_navigation():
        page.click("a.chip[href='?start=disc_recovery']")

    row = page.locator("#row-superman")
    assert "caution" in (row.get_attribute("class") or "")
    row.locator("textarea").fill(REASON[language])
    page.fill("#id_i-plank-sets", "2")
    row.evaluate("element => element.scrollIntoView({block: 'center'})")
    _shot(page, "builder", language)

    with page.expect_navigation():
        page.click("button[value=preview]")
    phone = page.locator(".phone")
    assert phone.get_by_text(BRIDGE[language]).count() >= 1
    assert phone.get_by_text(SUPERMAN[language]).count() >= 1
    assert not ProgrammeAssignment.objects.filter(patient=patient).exists()
    _shot(page, "builder-preview", language)

    with page.expect_navigation():
        page.click("button[value=save]")
    assert "/programme/history/" in page.url
    assert page.get_by_text(REASON[language]).count() == 1
    _shot(page, "builder-history", language)
    superman = ProgrammeAssignment.objects.get(patient=patient).items.get(exercise__key="superman")
    assert (superman.override_reason, superman.overridden_by) == (REASON[language], therapist)

    phone_context = new_context(language)
    today = sign_in(phone_context, "li_lei", PASSWORD)
    today.goto("/app/")
    cards = today.locator("li.card.item h3")
    names = cards.all_inner_texts()
    assert BRIDGE[language] in names
    assert any(name.startswith(SUPERMAN[language]) for name in names)
    plank = today.locator("li.card.item", has_text="平板支撑" if language == "zh" else "Plank")
    assert ("2 组" if language == "zh" else "2 sets") in plank.inner_text()
