"""The patient's Today page, first load, bytes transferred (issues 6 and 11: under 150 KB,
including the first exercise card's guide picture; the other pictures load lazily). Run by hand:

    .venv/bin/python bench/page_weight.py [--base-url http://127.0.0.1:8000]

Without --base-url it makes its own throwaway instance: a temporary VAR_DIR with a SQLite
database, `migrate` and `seed_demo`, then `manage.py runserver` on 127.0.0.1 and a free port
(development settings: static files served uncompressed, so the figure is an upper bound; WhiteNoise
compresses them in production). With --base-url it measures a server you run, which must have the
demo accounts (`make run` does).

It signs in as demo_patient in one browser context (Debian's /usr/bin/chromium through
Playwright), then opens /app/ in a fresh context that has only the session cookie: empty HTTP
cache, no service worker yet, a 360 x 640 phone screen. Every response the page loads until the
network is idle is counted with Playwright's request sizes (encoded body + headers, i.e. what
crossed the wire). It also reports what the service worker downloads once to keep the app shell
and the three core pages for offline use (not part of the page load). Prints a table, writes
bench/results/page_weight.json, and exits 1 if the page is over the budget.
"""

import argparse
import gzip
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUDGET_BYTES = 150 * 1024
USERNAME, PASSWORD = "demo_patient", "demo-pass-2026"
SHELL_PAGES = ["/app/sw.js", "/app/offline/", "/app/", "/app/checkin/", "/app/progress/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer within {seconds} s")


def start_instance(var_dir: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "VAR_DIR": var_dir, "APP_ENV": "development", "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    python = sys.executable
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = free_port()
    server = subprocess.Popen(
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base_url}/healthz")
    return server, base_url


def measure(base_url: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        signing_in = browser.new_context(base_url=base_url)
        page = signing_in.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        cookies = [c for c in signing_in.cookies() if c["name"] in ("sessionid", "csrftoken")]
        signing_in.close()

        # A phone that has only the session: nothing cached, no service worker yet.
        context = browser.new_context(
            base_url=base_url,
            viewport={"width": 360, "height": 640},
            extra_http_headers={"Accept-Language": "zh-CN"},
            service_workers="block",
        )
        context.add_cookies(cookies)
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto("/app/", wait_until="networkidle")
        if not page.url.endswith("/app/"):
            raise SystemExit(f"expected Today, got {page.url} (is {USERNAME} there?)")
        rows = []
        for response in responses:
            sizes = response.request.sizes()
            body = response.body() if response.status == 200 else b""
            content_type = response.headers.get("content-type", "")
            is_text = content_type.startswith(("text/", "application/javascript", "image/svg"))
            rows.append(
                {
                    "url": response.url.removeprefix(base_url),
                    "status": response.status,
                    "type": content_type.split(";")[0],
                    "transferred": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                    "body": len(body),
                    "gzip": len(gzip.compress(body, 6)) if is_text else len(body),
                }
            )
        pictures = [row for row in rows if "/exercises/guides/" in row["url"]]
        first_picture = page.evaluate(
            "(document.querySelector('li.item img.guide-pic') || {}).src || ''"
        ).removeprefix(base_url)
        shell = []
        assets = page.evaluate(
            "fetch('/app/sw.js').then(r => r.text()).then(t => "
            "(t.match(/const SHELL_ASSETS = \\[([^\\]]*)\\]/) || ['', ''])[1]"
            ".match(/'[^']+'/g).map(s => s.slice(1, -1)))"
        )
        for url in dict.fromkeys([*SHELL_PAGES, *assets]):
            response = context.request.get(url)
            shell.append({"url": url, "status": response.status, "body": len(response.body())})
        browser.close()
    return {
        "page": rows,
        "service_worker_install": shell,
        "guide_pictures": pictures,
        "first_picture": first_picture,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="measure this running server instead of a new one")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"needs {CHROMIUM}: apt-get install chromium")

    server = None
    with tempfile.TemporaryDirectory(prefix="rehab-page-weight-") as var_dir:
        try:
            if args.base_url:
                base_url = args.base_url.rstrip("/")
            else:
                server, base_url = start_instance(var_dir)
            found = measure(base_url)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)

    rows = found["page"]
    total = sum(row["transferred"] for row in rows)
    gzipped = sum(row["gzip"] for row in rows)
    shell = sum(row["body"] for row in found["service_worker_install"])
    print(f"Today (/app/) first load as {USERNAME}, 360 x 640, empty cache:\n")
    print(f"{'transferred':>12} {'gzip est.':>10}  {'status':>6}  resource")
    for row in rows:
        line = f"{row['transferred']:>12,} {row['gzip']:>10,}  {row['status']:>6}  {row['url']}"
        print(line)
    print(f"{total:>12,} {gzipped:>10,}  total ({len(rows)} requests)")
    print(
        f"\nbudget {BUDGET_BYTES:,} bytes (150 KB): {'PASS' if total <= BUDGET_BYTES else 'FAIL'}"
    )
    print(f"service worker's one-off download for offline use: {shell:,} bytes (not in the above)")
    pictures = found["guide_pictures"]
    first = found["first_picture"]
    has_first = any(row["url"] == first for row in pictures)
    print(
        f"guide pictures in the first load: {len(pictures)} "
        f"({sum(row['transferred'] for row in pictures):,} bytes); first card's picture "
        f"{first or '(none)'}: {'included' if has_first else 'NOT loaded'}"
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "page": "/app/",
        "requests": len(rows),
        "transferred_bytes": total,
        "gzip_estimate_bytes": gzipped,
        "budget_bytes": BUDGET_BYTES,
        "within_budget": total <= BUDGET_BYTES,
        "service_worker_install_bytes": shell,
        "first_picture": found["first_picture"],
        "guide_pictures_loaded": [row["url"] for row in found["guide_pictures"]],
        "resources": rows,
        "service_worker_resources": found["service_worker_install"],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": platform.platform(),
        "server": args.base_url or "manage.py runserver (development, uncompressed)",
    }
    (RESULTS / "page_weight.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'page_weight.json'}")
    return 0 if total <= BUDGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
