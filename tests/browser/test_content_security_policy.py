"""The Content-Security-Policy in a real browser: the pages work under it and break none of its
rules, the API docs (Swagger UI, ReDoc) included."""

import pytest

from tests.browser.conftest import ARTIFACTS, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _watch_violations(context, violations=None):
    """Every CSP violation any page of the context reports, as 'directive blocked-uri'."""
    violations = [] if violations is None else violations
    context.expose_binding(
        "reportViolation", lambda source, text: violations.append(f"{source['page'].url}: {text}")
    )
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "window.reportViolation(e.effectiveDirective + ' ' + e.blockedURI));"
    )
    return violations


def test_the_patient_and_therapist_pages_break_no_rule(demo, new_context):
    context = new_context()
    violations = _watch_violations(context)

    page = sign_in(context, "demo_patient")
    for path in ["/app/", "/app/checkin/", "/app/progress/", "/app/reminders/", "/exercises/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")

    staff_context = new_context()
    _watch_violations(staff_context, violations)
    staff = sign_in(staff_context, "demo_therapist")
    staff.goto(f"/therapist/patients/{demo.public_id}/")
    staff.wait_for_load_state("networkidle")

    assert violations == []


def test_swagger_ui_and_redoc_render_under_the_policy(db, new_context):
    context = new_context()
    violations = _watch_violations(context)
    page = context.new_page()

    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Rehab exercise tracker API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 10
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))

    page.goto("/api/v1/redoc/")
    page.wait_for_selector("h1", timeout=20_000)
    assert "Rehab exercise tracker API" in page.inner_text("h1")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "api-redoc.png"))

    # ReDoc's sidebar asks its vendor's CDN for a logo; the policy stops that request, as it
    # should (nothing loads from a third party). Nothing else may be blocked.
    assert [v for v in violations if "img-src https://cdn.redoc.ly/" not in v] == []
