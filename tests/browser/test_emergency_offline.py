"""The urgent path without signal (issue 9), in Debian's chromium at 360 × 640: ticking an urgent
answer and pressing Send brings the emergency screen at once, from the page itself; the check-in
waits on the phone and, back online, is stored once and tells the therapist once."""

import pytest
from django.utils import timezone

from reminders.models import Delivery, InboxMessage
from tests.browser.conftest import service_worker_ready, sign_in
from tests.browser.test_patient_app import RESEND
from tracker.models import CheckIn, Flag, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _today(patient):
    return timezone.localdate(timezone=patient.patient_profile.tzinfo)


def _answer_scores(page, back=3, leg=4, numbness=2):
    for name, value in (("back_pain", back), ("leg_pain", leg), ("numbness", numbness)):
        page.locator(f"#q-{name} label.score", has_text=str(value)).first.click()


def test_offline_saddle_numbness_shows_the_screen_at_once_and_tells_the_therapist_once(
    demo, new_context
):
    CheckIn.objects.filter(patient=demo, date=_today(demo)).delete()
    Flag.objects.filter(patient=demo, rule="cauda_equina").delete()
    therapist = User.objects.get(username="demo_therapist")
    context = new_context()
    page = sign_in(context, "demo_patient")
    service_worker_ready(page)  # it keeps the check-in page for use without signal

    context.set_offline(True)
    page.goto("/app/checkin/")  # no signal: the copy kept by the service worker
    _answer_scores(page)
    page.get_by_text("Numbness between the legs or around the bottom").click()
    page.get_by_role("button", name="Send check-in").click()

    emergency = page.get_by_role("alertdialog")
    emergency.wait_for()
    assert "Seek emergency care now" in emergency.inner_text()
    reason = emergency.get_by_text("You reported numbness around the saddle area")
    assert reason.is_visible()
    assert not emergency.get_by_text("You said you cannot walk on your heels.").is_visible()
    call = emergency.locator('a[href="tel:120"]')
    assert call.is_visible() and "Call 120" in call.inner_text()
    emergency.get_by_text("No signal: your check-in is saved on this phone").wait_for()
    assert not CheckIn.objects.filter(patient=demo, date=_today(demo)).exists()
    [record] = page.evaluate("RehabOutbox.all()")
    assert (record["kind"], record["body"]["date"]) == ("checkin", _today(demo).isoformat())

    context.set_offline(False)  # back online: the outbox sends itself
    emergency.get_by_text("Your therapist has been told.").wait_for()

    assert emergency.is_visible()  # the screen stays; no page replaced it
    assert page.evaluate("RehabOutbox.all()") == []
    checkin = CheckIn.objects.get(patient=demo, date=_today(demo))
    assert checkin.saddle_numbness and not checkin.revisions.exists()
    [flag] = Flag.objects.filter(patient=demo, rule="cauda_equina")
    key = f"flag:{flag.public_id}:{therapist.public_id}"
    assert InboxMessage.objects.filter(user=therapist, dedupe_key=f"n:{key}").count() == 1
    channels = list(
        Delivery.objects.filter(user=therapist, idempotency_key=key).values_list(
            "channel", flat=True
        )
    )
    assert channels and len(channels) == len(set(channels))  # once per channel

    # The phone sending it again (its answer lost, say) changes nothing: same Idempotency-Key.
    assert page.evaluate(RESEND, [record]) == [[201, "true"]]  # the first answer, replayed
    assert CheckIn.objects.filter(patient=demo, date=_today(demo)).count() == 1
    assert InboxMessage.objects.filter(user=therapist, dedupe_key=f"n:{key}").count() == 1
    assert Delivery.objects.filter(user=therapist, idempotency_key=key).count() == len(channels)


def test_an_urgent_answer_shows_the_screen_even_before_the_scores_are_answered(demo, new_context):
    CheckIn.objects.filter(patient=demo, date=_today(demo)).delete()
    page = sign_in(new_context(), "demo_patient")
    page.goto("/app/checkin/")

    page.get_by_text("I cannot walk on my heels").click()
    page.get_by_role("button", name="Send check-in").click()  # the 0-10 questions unanswered

    emergency = page.get_by_role("alertdialog")
    emergency.wait_for()
    assert emergency.get_by_text("You said you cannot walk on your heels.").is_visible()
    assert emergency.locator('a[href="tel:120"]').is_visible()
    assert emergency.get_by_text("Your therapist is not told yet").is_visible()
    emergency.get_by_role("button", name="Back to the check-in").click()
    assert not emergency.is_visible()
    assert not CheckIn.objects.filter(patient=demo, date=_today(demo)).exists()


def test_a_check_in_sent_later_from_another_page_still_names_its_flag(demo, new_context):
    from datetime import timedelta

    today = _today(demo)
    CheckIn.objects.filter(patient=demo, date=today).delete()
    CheckIn.objects.update_or_create(
        patient=demo,
        date=today - timedelta(days=1),
        defaults={"back_pain": 1, "leg_pain": 1, "numbness": 2},
    )
    Flag.objects.filter(patient=demo, rule="sudden_worsening").delete()
    context = new_context()
    page = sign_in(context, "demo_patient")
    service_worker_ready(page)

    context.set_offline(True)
    page.goto("/app/checkin/")
    _answer_scores(page, back=1, leg=8, numbness=2)  # leg pain up 7 points since yesterday
    page.get_by_role("button", name="Send check-in").click()
    page.locator("#outbox li").wait_for()
    page.goto("/app/")  # the patient moves on, still without signal

    context.set_offline(False)
    note = page.locator("[data-offline-note]")
    note.get_by_text("It shows something to act on").wait_for()
    with page.expect_navigation(url="**/app/checkin/thanks/"):
        note.get_by_role("link", name="See what to do").click()
    assert "Your pain is much worse than at your last check-in." in page.inner_text("main")
    assert Flag.objects.filter(patient=demo, rule="sudden_worsening").count() == 1
