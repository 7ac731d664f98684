"""The patient page's messages panel draws its latest messages in Python from one statement
(issue 16); it must draw exactly what tracker/messages/_conversation.html draws for the care team
from the ORM's messages, for every kind of message, in both languages and the reader's zone."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from reminders.models import Kind, ReminderSchedule
from tests.tracker.dashboard.support import add_checkins, add_flag, add_programme, add_sessions
from tracker.models import AssignmentItem, CheckIn, ConversationRead, Message, SessionLog
from tracker.selectors.message_panel import therapist_panel
from tracker.selectors.messages import conversation_messages, reader_zone
from tracker.services.messages import conversation_of
from tracker.templatetags.conversation import panel_conversation_html


def _old(patient, therapist, limit):
    request = RequestFactory().get("/")
    request.user = therapist
    messages = conversation_messages(patient=patient, reader=therapist)
    marker = messages[0].reader_read_up_to if messages else 0
    with timezone.override(reader_zone(user=therapist)):
        return render_to_string(
            "tracker/messages/_conversation.html",
            {
                "conversation": messages[-limit:],
                "read_up_to": marker,
                "reader_side": "care_team",
                "request": request,
            },
        )


def _new(patient, therapist, limit):
    panel = therapist_panel(patient=patient, reader=therapist, limit=limit)
    return str(panel_conversation_html(panel, reader=therapist))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("zone", [None, "Europe/London"])
def test_the_panel_draws_what_the_conversation_template_draws(
    patient, therapist, colleague, now, language, zone
):
    if zone:
        ReminderSchedule.objects.create(user=therapist, kind=Kind.THERAPIST_DIGEST, timezone=zone)
    with translation.override(language):
        assert _new(patient, therapist, 3) == _old(patient, therapist, 3)  # none yet

    add_checkins(patient, [1])
    add_sessions(patient, [2])
    add_programme(patient, therapist)
    flag = add_flag(patient, "night_pain")
    conversation = conversation_of(patient=patient)
    about = [
        {"about_checkin": CheckIn.objects.get(patient=patient)},
        {"about_session": SessionLog.objects.get(patient=patient)},
        {"about_item": AssignmentItem.objects.filter(assignment__patient=patient).first()},
        {"from_flag": flag},
        {},
    ]
    authors = [patient, therapist, colleague, None, patient, patient, therapist, patient]
    for n, author in enumerate(authors):
        Message.objects.create(
            conversation=conversation,
            author=author,
            side="patient" if author == patient else "care_team",
            body=f"Line {n} <b>&\nsecond “line”",
            **about[n % len(about)],
        )
    shown = Message.objects.order_by("id")
    ConversationRead.objects.create(
        conversation=conversation, user=therapist, read_up_to=shown[0].pk
    )
    for language_ in ("en", "zh-hans"):
        with translation.override(language_):
            for limit in (1, 3, 20):
                assert _new(patient, therapist, limit) == _old(patient, therapist, limit)
    with translation.override("en"):
        drawn = _new(patient, therapist, 20)
    for part in (
        "About: Check-in of",
        "About: Session:",
        "About: Programme exercise:",
        "the flag",
        "A former member",
        "You",
        "Pat",
        'class="badge new"',
        "&lt;b&gt;&amp;<br>",
    ):
        assert part in drawn
    panel = therapist_panel(patient=patient, reader=therapist, limit=3)
    assert (panel.total, panel.unread, len(panel.messages)) == (8, 3, 3)
    assert str(panel.zone) == (zone or "Asia/Shanghai")
