"""The files a newcomer reads first: the licence, and the README's way to run on another port."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_licence_is_apache_2_and_the_readme_says_so():
    licence = (ROOT / "LICENSE").read_text()
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert "Apache License 2.0: see `LICENSE`." in (ROOT / "README.md").read_text()


def test_make_run_on_another_port_is_documented_and_reaches_the_web_server():
    assert "`make run PORT=" in (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^PORT \?= 8000$", makefile, re.MULTILINE)
    assert "PORT=$(PORT) $(PY) scripts/devrun.py Procfile" in makefile
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    assert "runserver 127.0.0.1:${PORT:-8000}" in web
