"""The request frame around the patient's POSTs (issue 16): the short-cuts it takes give what DRF
and Celery would have given."""

from datetime import date, datetime

import pytest
from knox.models import AuthToken
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tracker.apis.records import CheckInListCreateApi
from tracker.models import CheckIn, IdempotencyRecord

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("accept", "query"),
    [
        (None, ""),
        ("*/*", ""),
        ("application/json", ""),
        ("application/json; indent=4", ""),
        ("text/html", ""),
        ("text/html,application/xhtml+xml,*/*;q=0.8", ""),
        ("*/*", "?format=api"),
        ("application/json", "?format=json"),
        ("", ""),
    ],
)
def test_the_negotiation_short_cut_chooses_what_drf_would(accept, query):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    view = CheckInListCreateApi()
    view.format_kwarg = None
    request = Request(APIRequestFactory().post(f"/api/v1/checkins/{query}", **headers))
    view.request = request

    def chosen(negotiate):
        try:
            renderer, media_type = negotiate()
        except NotAcceptable:
            return "406"
        return type(renderer), media_type

    ours = chosen(lambda: view.perform_content_negotiation(request))
    drfs = chosen(
        lambda: DefaultContentNegotiation().select_renderer(
            request, [JSONRenderer(), BrowsableAPIRenderer()], None
        )
    )

    assert ours == drfs


def test_the_idempotency_record_keeps_the_response_as_json(api, patient, now):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=patient)[1]}")
    body = {"date": TODAY.isoformat(), "back_pain": 3, "leg_pain": 2, "numbness": 0}

    first = client.post("/api/v1/checkins/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    record = IdempotencyRecord.objects.get(user=patient, key="k1")
    again = client.post("/api/v1/checkins/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert first.status_code == 201
    assert record.response_status == 201
    assert record.response_body == first.json()  # stored as a JSON object, not a string
    assert isinstance(record.response_body, dict)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert CheckIn.objects.filter(patient=patient).count() == 1
    assert IdempotencyRecord.objects.filter(user=patient).count() == 1


def test_a_sessions_side_work_runs_once_committed(
    client, patient, therapist, now, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from tracker.celery import app
    from tracker.services import sessions
    from tracker.services.assignments import assignment_change

    settings.SIDE_WORK_INLINE = False
    item = assignment_change(
        patient=patient, therapist=therapist, template_key="disc_recovery"
    ).items.first()
    done = []
    monkeypatch.setattr(
        sessions,
        "session_side_work",
        lambda *, patient, performed_at: done.append((patient.pk, performed_at)),
    )
    token = AuthToken.objects.create(user=patient)[1]
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(
                "/api/v1/sessions/",
                {"item": str(item.public_id), "sets": 2},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token}",
            )
    finally:
        app.conf.task_always_eager = False

    assert response.status_code == 201
    assert len(callbacks) == 1
    performed_at = datetime.fromisoformat(response.json()["performed_at"].replace("Z", "+00:00"))
    assert done == [(patient.pk, performed_at)]


def test_the_side_work_message_names_its_arguments(monkeypatch):
    """The message carries the same argsrepr and kwargsrepr Celery would have written."""
    from celery.utils.saferepr import saferepr

    from tracker.services import side_work
    from tracker.tasks import checkin_side_work_task

    sent = {}
    monkeypatch.setattr(
        checkin_side_work_task, "apply_async", lambda args, **options: sent.update(options)
    )
    args = (7, "2026-03-10", [1, 2])

    side_work._publish(checkin_side_work_task, args)

    assert sent == {"argsrepr": saferepr(args), "kwargsrepr": saferepr({})}


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/St_Johns"])
def test_datetimes_are_written_as_drf_writes_them(zone):
    from datetime import UTC, timedelta, timezone
    from zoneinfo import ZoneInfo

    from django.utils import timezone as django_timezone
    from rest_framework import serializers

    from tracker.serializers.records import api_datetime

    field = serializers.DateTimeField()
    moments = [
        datetime(2026, 3, 10, 4, 0, tzinfo=UTC),
        datetime(2026, 3, 10, 4, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York")),
        datetime(2026, 3, 10, 23, 59, 59, tzinfo=timezone(timedelta(hours=5, minutes=45))),
    ]
    with django_timezone.override(ZoneInfo(zone)):
        for moment in moments:
            assert api_datetime(moment) == field.to_representation(moment)
