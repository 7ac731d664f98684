"""The caseload's and the patient page's cost stays flat (issue 16): the same queries whatever the
history's length, the caseload's ordering reading the flags once, and HTML sent compressed."""

import gzip
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tracker.dashboard.support import add_checkins, add_flag, add_programme, add_sessions
from tracker.selectors.dashboard import CASELOAD_PAGE_SIZE, caseload_patients

CASELOAD = "/therapist/"


def page_url(user) -> str:
    return f"/therapist/patients/{user.public_id}/"


@pytest.mark.parametrize("path", ["caseload", "patient"])
def test_html_pages_go_gzipped_to_a_browser_that_accepts_it(
    staff_client, therapist, patient, now, path
):
    add_checkins(patient, range(30))
    add_flag(patient, "night_pain")
    client = staff_client(therapist)
    url = CASELOAD if path == "caseload" else page_url(patient)

    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    html = gzip.decompress(zipped.content).decode()
    assert "Night pain stopping sleep" in html
    assert len(zipped.content) < len(plain.content) / 2


@pytest.mark.postgres
def test_the_caseload_ordering_reads_each_patients_flags_once_not_per_patient(
    therapist, make_patient, now
):
    for n in range(30):
        user = make_patient(f"P{n:02d}")
        add_flag(user, "night_pain")
        if n % 3 == 0:
            add_flag(user, "cauda_equina", status="acknowledged")

    plan = caseload_patients(user=therapist)[:CASELOAD_PAGE_SIZE].explain(analyze=True)

    # Before issue 16: two correlated subqueries per patient (SubPlans over tracker_flag with
    # loops=30 each, twice). Now the flags are one scan joined to the patients: the planner
    # may hash it (loops=1) or, with other statistics, probe the index once per patient (a
    # nested loop, loops=30), but never twice and never as a subquery.
    flag_scans = [line for line in plan.splitlines() if re.search(r"Scan .*on tracker_flag ", line)]
    assert len(flag_scans) == 1, plan
    assert not any("tracker_flag " in line for line in _subplan_lines(plan)), plan


def _subplan_lines(plan: str) -> list[str]:
    """The lines of an EXPLAIN text that belong to a SubPlan (indented under its heading)."""
    found, depth = [], None
    for line in plan.splitlines():
        indent = len(line) - len(line.lstrip())
        if depth is not None and indent <= depth:
            depth = None
        if depth is not None:
            found.append(line)
        elif re.match(r"\s*SubPlan \d+", line):
            depth = indent
    return found


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_the_patient_page_takes_the_same_queries_for_no_history_and_1000_days(
    staff_client, therapist, patient, now
):
    add_programme(patient, therapist, starts_ago=1000)
    client = staff_client(therapist)
    client.get(page_url(patient))  # warm: content types and the like
    empty = _queries(client, page_url(patient), range=365)
    add_checkins(patient, range(1000))
    add_sessions(patient, list(range(0, 1000, 2)))
    for rule in ("night_pain", "persistent_pain", "claudication"):
        add_flag(patient, rule)

    full = _queries(client, page_url(patient), range=365)
    older_record = _queries(client, page_url(patient), range=365, record=30)

    # 19 + the flag cards' answers + the evidence rows (issue 16) + the messages panel (2: its
    # one statement and the audit of the read) - the first week's check-ins (read with the
    # range's) - the PSFS ratings (none to read without activities)
    assert full == empty == older_record <= 21


def test_a_caseload_page_with_many_flags_takes_no_more_queries(
    staff_client, therapist, make_patient, now
):
    client = staff_client(therapist)
    first = make_patient("First")
    add_checkins(first, range(30))
    client.get(CASELOAD)
    few = _queries(client, CASELOAD)
    for n in range(60):
        user = make_patient(f"F{n:02d}")
        add_checkins(user, range(0, 30, 3))
        add_programme(user, therapist)
        for rule in ("night_pain", "persistent_pain", "claudication"):
            add_flag(user, rule)

    many = _queries(client, CASELOAD)
    flagged = _queries(client, CASELOAD, flagged="on", page=2)

    # 13 before issue 16 merged the count into the page, the header's counts with the rows'
    # unread, the check-ins with the session days, and the audit into one plain INSERT.
    assert few == many == flagged <= 10
