"""The progress report PDF: scoped, audited, in either language, with its charts."""

import io

import pytest
from pypdf import PdfReader

from tests.tracker.dashboard.support import add_checkins, add_flag, add_programme, add_sessions
from tracker.models import AuditEvent

pytestmark = pytest.mark.django_db


def report_url(user) -> str:
    return f"/therapist/patients/{user.public_id}/report.pdf"


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def path_operators(response) -> int:
    """Vector drawing in the page content: the charts' lines are PDF path segments (`l`)."""
    reader = PdfReader(io.BytesIO(response.content))
    count = 0
    for page in reader.pages:
        for _operands, operator in page.get_contents().operations:
            count += operator == b"l"
    return count


@pytest.fixture
def history(patient, therapist, now):
    add_programme(patient, therapist, starts_ago=60)
    add_checkins(patient, range(0, 30), leg_pain=6)
    add_sessions(patient, [1, 2, 3, 5, 8])
    flag = add_flag(
        patient, "night_pain", acknowledged_note="Asked about the mattress", status="acknowledged"
    )
    flag.acknowledged_at = "2026-03-10T05:00:00Z"
    flag.acknowledged_by = therapist
    flag.save()
    return patient


def test_the_english_report_names_the_patient_programme_charts_flags_and_caveat(
    client, therapist, history
):
    client.force_login(therapist)
    response = client.get(
        report_url(history), {"from": "2026-02-09", "to": "2026-03-10", "lang": "en"}
    )
    text = pdf_text(response)
    assert "Progress report" in text
    assert "Pat" in text
    assert "2026-02-09 to 2026-03-10" in text
    for caption in ("Back pain", "Leg pain", "Numbness"):
        assert caption in text
    assert "Version 1" in text
    assert "prescribed sessions done" in text
    assert "Night pain stopping sleep" in text and "Asked about the mattress" in text
    assert "not a basis for treatment" in text
    assert "Referral" not in text
    assert path_operators(response) > 50


def test_the_chinese_report_embeds_chinese_glyphs(client, therapist, history):
    client.force_login(therapist)
    response = client.get(report_url(history), {"lang": "zh-hans"})
    text = pdf_text(response)
    assert "进展报告" in text
    for caption in ("腰痛", "腿痛", "麻木"):
        assert caption in text
    assert "不能作为治疗依据" in text
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("WenQuanYi" in name or "Noto" in name for name in fonts), fonts


def test_lang_patient_uses_the_patients_language(client, therapist, history):
    profile = history.patient_profile
    profile.language = "en"
    profile.save()
    client.force_login(therapist)
    assert "Progress report" in pdf_text(client.get(report_url(history), {"lang": "patient"}))


@pytest.mark.parametrize("status", ["acknowledged", "resolved"])
def test_conservative_failure_makes_it_a_referral_summary(client, therapist, history, status):
    add_flag(history, "conservative_failure", status=status, resolved_note="Referred to Dr Wang")
    client.force_login(therapist)
    text = pdf_text(client.get(report_url(history), {"lang": "en"}))
    assert "Referral summary" in text
    assert "Referral for surgical assessment" in text
    assert "not 30 % better" in text
    if status == "resolved":
        assert "Referred to Dr Wang" in text


def test_clinic_admin_may_download_and_each_download_is_audited(
    client, therapist, clinic_admin, history
):
    for reader in (therapist, clinic_admin):
        client.force_login(reader)
        assert client.get(report_url(history)).status_code == 200
    events = AuditEvent.objects.filter(patient=history, object_type="progress_report")
    assert sorted((e.actor.username, e.action) for e in events) == [
        ("admin", "export"),
        ("ther", "export"),
    ]


def test_outsiders_get_404_and_patients_403(client, history, other_therapist, other_clinic_admin):
    for outsider in (other_therapist, other_clinic_admin):
        client.force_login(outsider)
        assert client.get(report_url(history)).status_code == 404
    client.force_login(history)
    assert client.get(report_url(history)).status_code == 403
    assert not AuditEvent.objects.filter(object_type="progress_report").exists()


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-03-10", "to": "2026-03-01"},
        {"from": "yesterday"},
        {"lang": "fr"},
        {"from": "2024-01-01", "to": "2026-03-10"},
    ],
)
def test_bad_input_is_400_with_the_field(client, therapist, history, query):
    client.force_login(therapist)
    response = client.get(report_url(history), query)
    assert response.status_code == 400
    assert next(iter(query)) in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="progress_report").exists()


def test_the_patient_page_offers_the_report(client, therapist, history):
    client.force_login(therapist)
    page = client.get(f"/therapist/patients/{history.public_id}/").content.decode()
    assert f'action="{report_url(history)}"' in page
    assert 'name="from" value="2025-12-11"' in page and 'name="to" value="2026-03-10"' in page


def test_the_report_carries_the_psfs(client, therapist, history):
    from datetime import date

    from tracker.services.psfs import psfs_activity_add, psfs_rate

    socks = psfs_activity_add(patient=history, text="Putting on socks", by=history)
    psfs_rate(patient=history, scores={socks: 2}, on=date(2026, 2, 24), by=history)
    psfs_rate(patient=history, scores={socks: 5}, on=date(2026, 3, 10), by=history)
    client.force_login(therapist)
    text = pdf_text(client.get(report_url(history), {"lang": "en"}))
    assert "Patient-Specific Functional Scale" in text
    assert "Putting on socks" in text
    assert "Improved" in text and "change 3.0" in text
