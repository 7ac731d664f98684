"""The patient page opens with what needs action (issue 10, "Seeing what the patient said"):
open flags first, each with its opened and latest-evidence dates, the exact answers behind it
(which red-flag box, which numbness areas) and the actions; then the day-by-day record; then the
charts; the 365-day table opens on the newest week, with years on its headers; and the export
buttons give files named for the patient and the date."""

import re
from datetime import date

from tests.tracker.dashboard.support import add_checkins, add_flag, days_ago, set_evidence
from tracker.models import CheckIn, Flag
from tracker.services.checkins import checkin_submit

TODAY = date(2026, 3, 10)
CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}


def _page(client, patient, **query) -> str:
    return client.get(f"/therapist/patients/{patient.public_id}/", query).content.decode()


def _card(body: str, flag: Flag) -> str:
    start = body.index(f'id="flag-{flag.public_id}"')
    return body[start : body.index("</article>", start)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_urgent_flag_says_which_box_was_ticked(staff_client, therapist, patient, now):
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "saddle_numbness": True})
    flag = Flag.objects.get(patient=patient, rule="cauda_equina")

    card = _card(_page(staff_client(therapist), patient), flag)

    text = _text(card)
    assert "What the patient answered 2026-03-10 :" in text
    assert "Saddle numbness: yes !" in text
    assert "New bowel or bladder trouble: no" in text
    assert "Opened 2026-03-10 (first evidence)" in text and "Latest evidence 2026-03-10" in text
    assert "Acknowledge" in card and "Resolve" in card


def test_a_motor_flag_says_heels_or_toes(staff_client, therapist, patient, now):
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "can_walk_on_toes": False})
    flag = Flag.objects.get(patient=patient, rule="motor_deficit")

    text = _text(_card(_page(staff_client(therapist), patient), flag))

    assert "Can walk on heels: yes ;" in text
    assert "Can walk on toes: no !" in text


def test_a_numbness_flag_names_the_areas_and_which_are_new(staff_client, therapist, patient, now):
    CheckIn.objects.create(
        patient=patient,
        date=TODAY,
        back_pain=2,
        leg_pain=3,
        numbness=6,
        numbness_areas=["left_buttock", "left_outer_calf"],
    )
    flag = add_flag(patient, "numbness_worsening")
    set_evidence(
        flag,
        [
            {
                "date": "2026-03-10",
                "numbness_3_day_mean": 5.3,
                "new_lower_areas": ["left_outer_calf"],
            }
        ],
    )

    text = _text(_card(_page(staff_client(therapist), patient), flag))

    assert "Numbness: 6/10" in text
    assert "Numbness areas: Left · Buttock, Left · Outer calf (new, further down)" in text


def test_after_a_correction_the_card_keeps_the_answer_that_raised_it(
    staff_client, therapist, patient, now
):
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "saddle_numbness": True})
    flag = Flag.objects.get(patient=patient, rule="cauda_equina")
    # The therapist was told (the inbox): a correction leaves the flag open, marked changed.
    checkin_submit(patient=patient, on=TODAY, answers=CALM)

    text = _text(_card(_page(staff_client(therapist), patient), flag))

    assert "Saddle numbness: yes !" in text
    assert "Answer changed by the patient at" in text


def test_open_flags_come_first_then_the_record_then_the_charts(
    staff_client, therapist, patient, now
):
    resolved = add_flag(patient, "night_pain", on=days_ago(20), status="resolved")
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "note": "左腿更麻了"})
    checkin_submit(patient=patient, on=days_ago(1), answers={**CALM, "bowel_bladder_change": True})
    urgent = Flag.objects.get(patient=patient, rule="cauda_equina")

    body = _page(staff_client(therapist), patient)

    flags, record, charts = (
        body.index('id="flags-heading"'),
        body.index('id="record-heading"'),
        body.index('id="symptoms-heading"'),
    )
    assert (
        flags
        < body.index(f'id="flag-{urgent.public_id}"')
        < body.index(f'id="flag-{resolved.public_id}"')
    )
    assert body.index(f'id="flag-{resolved.public_id}"') < record < charts
    # The record: newest day first, with the note.
    assert body.index('datetime="2026-03-10"', record) < body.index('datetime="2026-03-09"', record)
    assert "左腿更麻了" in body[record:charts]


def test_the_365_day_areas_table_opens_on_the_newest_week_with_years(
    staff_client, therapist, patient, now
):
    add_checkins(patient, [0, 200, 360], numbness_areas=["right_sole"])

    body = _page(staff_client(therapist), patient, range="365")

    table = body[body.index('<table class="areas">') :]
    table = table[: table.index("</thead>")]
    headers = re.findall(r'<time datetime="([\d-]+)"><span class="year">(\d{4})</span>', table)
    assert headers[0] == ("2026-03-09", "2026")  # this week's Monday, first
    assert headers[-1][1] == "2025"
    assert [h[0] for h in headers] == sorted((h[0] for h in headers), reverse=True)
    # The sole row's newest cell (this week) reads 1 of 1.
    row = body[body.index('<table class="areas">') :]
    row = row[row.index("Right · Sole") :]
    assert re.match(r'Right · Sole</th><td class="shade-4">1/1</td>', row)


def test_the_export_buttons_download_files_named_for_the_patient_and_date(
    staff_client, therapist, patient, now
):
    client = staff_client(therapist)
    body = _page(client, patient)

    links = re.findall(r'<a href="([^"]+)" download>', body)
    assert links == [
        f"/api/v1/patients/{patient.public_id}/export/",
        f"/api/v1/patients/{patient.public_id}/export/csv/",
    ]
    as_json, as_zip = (client.get(link) for link in links)
    assert as_json.status_code == as_zip.status_code == 200
    assert 'filename="rehab-Pat-2026-03-10.json"' in as_json["Content-Disposition"]
    assert 'filename="rehab-Pat-2026-03-10.zip"' in as_zip["Content-Disposition"]
    assert as_zip["Content-Type"] == "application/zip"
