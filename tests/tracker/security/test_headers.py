"""Headers on every page: a Content-Security-Policy without inline script, a Permissions-Policy,
and `Cache-Control: no-store, private` wherever health data can appear."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.fixture
def pages(patient):
    """(URL, who) for a page of every kind; who signs in: None, the patient or the therapist."""
    pid = patient.public_id
    return [
        ("/exercises/", None),
        ("/programmes/", None),
        ("/accounts/login/", None),
        ("/admin/login/", None),
        ("/app/", "patient"),
        ("/app/progress/", "patient"),
        ("/app/checkin/", "patient"),
        ("/app/reminders/", "patient"),
        ("/therapist/", "therapist"),
        (f"/therapist/patients/{pid}/", "therapist"),
    ]


@pytest.fixture
def health_data_urls(patient):
    pid = patient.public_id
    return [
        ("/app/", "patient"),
        ("/app/progress/", "patient"),
        ("/therapist/", "therapist"),
        (f"/therapist/patients/{pid}/", "therapist"),
        ("/api/v1/me/", "patient"),
        ("/api/v1/checkins/", "patient"),
        ("/api/v1/sessions/", "patient"),
        ("/api/v1/reminders/inbox/", "patient"),
        ("/api/v1/reminders/schedules/", "patient"),
        ("/api/v1/patients/", "therapist"),
        (f"/api/v1/patients/{pid}/", "therapist"),
        (f"/api/v1/patients/{pid}/flags/", "therapist"),
        (f"/api/v1/patients/{pid}/adherence/", "therapist"),
        (f"/api/v1/patients/{pid}/export/", "therapist"),
        (f"/api/v1/patients/{pid}/export/csv/", "therapist"),
        (f"/api/v1/patients/{pid}/export/", "patient"),
        ("/api/v1/checkins/", None),  # even the 401
        ("/api/v1/exercises/", None),  # every API answer, the catalogue's too
    ]


def _get(client, url, who, patient, therapist):
    if who is not None:
        client.force_login({"patient": patient, "therapist": therapist}[who])
    return client.get(url)


def test_every_page_has_a_policy_without_inline_script(client, pages, patient, therapist, now):
    for url, who in pages:
        response = _get(client, url, who, patient, therapist)
        assert response.status_code == 200, url
        directives = _directives(response)
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert "'unsafe-inline'" not in directives["style-src"], url


def test_every_page_has_a_permissions_policy(client, pages, patient, therapist, now):
    for url, who in pages:
        policy = _get(client, url, who, patient, therapist)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy, url
        assert "screen-wake-lock=(self)" in policy


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_docs_run_scripts_from_self_only(client, url):
    response = client.get(url)
    page = response.content.decode()

    assert response.status_code == 200
    assert _directives(response)["script-src"] == ["'self'"]
    assert "<script>" not in page  # Swagger UI's start-up code comes as its own file
    assert "fonts.googleapis.com" not in page
    for src in re.findall(r'<script src="([^"]+)"', page):
        assert src.startswith("/"), src  # same origin: static files, or the start-up script
        if not src.startswith(settings.STATIC_URL):
            script = client.get(src.replace("&amp;", "&"))
            assert script.status_code == 200, src
            assert script["Content-Type"].startswith("application/javascript")


def test_templates_hold_no_inline_script_or_event_handler():
    offenders = []
    for template in ROOT.glob("*/templates/**/*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template}: on…= handler")
        if re.search(r"javascript:", text, re.IGNORECASE):
            offenders.append(f"{template}: javascript: URL")
    assert offenders == []


def test_health_data_is_never_stored_by_a_cache(client, health_data_urls, patient, therapist, now):
    for url, who in health_data_urls:
        client.logout()
        response = _get(client, url, who, patient, therapist)
        assert response.status_code in (200, 401), (url, response.status_code)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache_control, url


def test_the_public_catalogue_pages_may_be_cached(client, db):
    response = client.get("/exercises/")

    assert "no-store" not in response.get("Cache-Control", "")


def test_the_policy_forbids_what_the_app_does_not_use():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]

    assert all("'unsafe-" not in source for source in directives["script-src"])
    assert directives["default-src"] == ["'self'"]
