from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_load_catalogue_prints_the_report(db):
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    text = out.getvalue()
    assert "Catalogue version 1" in text
    assert "exercises: 0 created, 0 updated, 15 unchanged" in text
    assert "programme templates: 0 created, 0 updated, 7 unchanged" in text


def test_load_catalogue_refuses_a_bad_file_with_the_reason(db, tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("version: 9\nexercises: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match="version 9 is not supported"):
        call_command("load_catalogue", path=path)
