"""`/`, the favicon and the 403, 404 and 500 pages, as visitors, patients and staff see them."""

import pytest
from django.contrib.staticfiles import finders
from django.template import loader
from django.test import Client, RequestFactory
from django.utils import translation

from tests.factories import PatientProfileFactory
from tracker.views import site


def test_a_visitor_at_the_root_sees_the_public_catalogue(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Five-point bridge" in html
    assert 'href="/accounts/login/"' in html


def test_a_therapist_at_the_root_goes_to_the_caseload(client, therapist):
    client.force_login(therapist)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/therapist/"


def test_a_patient_at_the_root_goes_where_signing_in_takes_them(client, patient):
    PatientProfileFactory(user=patient)
    client.force_login(patient)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/app/")
    assert response["Location"] == client.get("/start/")["Location"]
    assert client.get("/", follow=True).status_code == 200


def test_the_favicon_is_the_app_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("tracker/app/icon-192.png")
    assert finders.find("tracker/app/icon-192.png")
    assert finders.find("tracker/app/icon.svg")
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/tracker/app/icon.svg" type="image/svg+xml">' in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "We could not find this page"), ("zh-CN", "找不到这个页面")],
)
def test_an_unknown_address_shows_the_products_404_page(client, db, language, heading):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert 'class="site-header"' in html  # the product's header and footer, not Django's page
    assert 'class="caveat"' in html
    assert 'href="/"' in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This page is not open to your account"), ("zh-CN", "您的账号无权打开此页面")],
)
def test_a_patient_on_a_therapist_page_gets_the_products_403_page(
    client, patient, language, heading
):
    client.force_login(patient)
    response = client.get("/therapist/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    html = response.content.decode()
    assert heading in html
    assert 'class="site-header"' in html


def test_an_expired_form_gets_a_403_page_in_the_products_style(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "Nothing was saved" in html


# No `db` fixture: pytest-django refuses any database query, so these prove the 500 page
# needs no database (nor a session or user, which is where the failure might be).
@pytest.mark.urls("tests.tracker.error_urls")
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Something went wrong on our side"), ("zh-CN", "我们这边出了问题")],
)
def test_a_server_error_shows_the_products_500_page_without_the_database(language, heading):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    html = response.content.decode()
    assert heading in html
    assert 'class="site-header"' in html
    assert "csrfmiddlewaretoken" not in html  # no language form that could not work
    assert "Traceback" not in html


def test_the_500_page_falls_back_to_a_plain_line_when_its_template_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("missing staticfiles manifest")

    monkeypatch.setattr(loader, "render_to_string", broken)
    with translation.override("zh-hans"):
        response = site.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "请过几分钟再试" in response.content.decode()
    with translation.override("en"):
        response = site.server_error(RequestFactory().get("/"))
    assert "Please try again in a few minutes" in response.content.decode()
