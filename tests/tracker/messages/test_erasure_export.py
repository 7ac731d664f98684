"""Messages leave with the patient's data and go with their erasure, notifications included."""

import io
import zipfile

from reminders.models import Delivery, DigestItem, InboxMessage
from tests.factories import CareTeamMemberFactory
from tracker.models import Conversation, ConversationRead, Message, MessageSettings
from tracker.services.erasure import account_erase
from tracker.services.messages import message_send

QUESTION = "我的小腿抽筋 QM-31"
ANSWER = "Try the stretch before bed QA-77"


def test_the_export_holds_both_sides(api, patient, therapist, now):
    message_send(patient=patient, author=patient, body=QUESTION)
    message_send(patient=patient, author=therapist, body=ANSWER)

    data = api(patient).get(f"/api/v1/patients/{patient.public_id}/export/").json()
    assert [(m["from"], m["body"]) for m in data["messages"]] == [
        ("patient", QUESTION),
        ("care_team", ANSWER),
    ]
    archive = api(patient).get(f"/api/v1/patients/{patient.public_id}/export/csv/").content
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        text = files.read("messages.csv").decode("utf-8-sig")
    assert QUESTION in text and ANSWER in text


def test_erasure_removes_both_sides_and_every_notification_about_them(
    patient, therapist, colleague, now
):
    CareTeamMemberFactory(patient=patient, therapist=colleague)
    MessageSettings.objects.create(user=colleague, delivery="digest")
    message_send(patient=patient, author=patient, body=QUESTION)
    message_send(patient=patient, author=therapist, body=ANSWER)
    # The care team was told (outbox, inbox, digest), and so was the patient.
    assert Delivery.objects.filter(user=therapist, about_user=patient).exists()
    assert InboxMessage.objects.filter(user=therapist, about_user=patient).exists()
    assert DigestItem.objects.filter(user=colleague, about_user=patient).exists()
    assert Delivery.objects.filter(user=patient).exists()

    account_erase(user=patient, password="Correct-horse-42")

    assert not Message.objects.exists()
    assert not Conversation.objects.exists()
    assert not ConversationRead.objects.exists()
    for model in (Delivery, InboxMessage):
        assert not model.objects.exists()
    assert not DigestItem.objects.exists()
