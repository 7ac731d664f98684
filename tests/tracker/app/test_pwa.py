"""Installable and offline: the manifest, the service worker, the app shell; no third-party
assets."""

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders


def test_the_manifest_installs_the_app_under_app(client, db):
    response = client.get("/app/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["scope"] == "/app/"
    assert manifest["start_url"].startswith("/app/")
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "Rehab exercise tracker"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_service_worker_caches_the_shell_and_handles_push(client, db):
    response = client.get("/app/sw.js")

    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert "importScripts('/static/tracker/app/outbox.js')" in script
    for asset in ("tracker/app/app.css", "tracker/app/app.js", "tracker/app/pictograms.svg"):
        assert f"'/static/{asset}'" in script
    assert "const OFFLINE_PAGE = '/app/offline/'" in script
    assert re.search(r"const VERSION = '[0-9a-f]{12}'", script)
    for handler in (
        "'install'",
        "'activate'",
        "'fetch'",
        "'push'",
        "'notificationclick'",
        "'sync'",
    ):
        assert f"addEventListener({handler}" in script
    assert "action.action === 'moved' || action.action === 'snooze'" in script


def test_every_shell_asset_exists():
    from tracker.views.app.shell import SHELL_ASSETS

    for name in SHELL_ASSETS:
        assert finders.find(name), name


def test_pages_use_no_third_party_assets(app_client, patient, programme):
    page = app_client(patient).get("/app/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)

    assert sources
    # tel: links dial a number (the emergency screen's call buttons); they load nothing.
    assert all(source.startswith(("/", "#", "?", "tel:")) for source in sources), sources
    for name in ("tracker/app/app.js", "tracker/app/outbox.js", "tracker/app/app.css"):
        with open(finders.find(name), encoding="utf-8") as file:
            assert "http://" not in file.read().replace("http://www.w3.org", "")


def test_today_stays_small(app_client, patient, programme):
    """The HTML of Today is far below the 150 KB budget for the whole first load
    (bench/page_weight.py measures the real transfer, assets included)."""
    page = app_client(patient).get("/app/").content
    assets = sum(
        Path(finders.find(name)).stat().st_size
        for name in (
            "tracker/site.css",
            "tracker/app/app.css",
            "tracker/app/app.js",
            "tracker/app/outbox.js",
            "tracker/app/pictograms.svg",
        )
    )

    assert len(page) + assets < 100_000


def test_pages_carry_the_strings_app_js_needs(app_client, patient, now):
    page = app_client(patient).get("/app/").content.decode()

    for name in ("waiting", "offline", "sent", "failed", "moved", "snooze", "push-on"):
        assert f"data-t-{name}=" in page
    assert 'name="csrf-token"' in page
    assert 'data-sw="/app/sw.js"' in page
