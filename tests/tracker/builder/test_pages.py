"""The builder, preview and history pages: what a therapist sees and what is stored."""

import pytest

from tests.tracker.builder.conftest import url
from tracker.models import AuditEvent, ProgrammeAssignment

SUPERMAN_REASON = "Stable on imaging; supervised in clinic."


def _template_post(client, patient, **extra):
    """Open the builder from the disc recovery template and post its rows back."""
    page = client.get(url(patient) + "?start=disc_recovery")
    form = page.context["rows"]
    data = {"base": "disc_recovery", "starts_on": "2026-03-10", "note": "", "q": ""}
    keys = []
    for row in form:
        key = row.exercise.key
        keys.append(key)
        for name, value in row.values.items():
            if name != "exercise":
                data[f"i-{key}-{name}"] = "" if value is None else value
        data[f"i-{key}-exercise"] = key
        data.setdefault(f"i-{key}-days_per_week", 7)
    data["item"] = keys
    data.update(extra)
    return data


def test_the_patient_page_links_to_the_builder_and_the_history(staff_client, therapist, patient):
    body = staff_client(therapist).get(f"/therapist/patients/{patient.public_id}/").content
    assert url(patient).encode() in body
    assert url(patient, "history/").encode() in body


def test_a_template_opens_with_its_items_and_the_caution_shown_next_to_superman(
    staff_client, therapist, patient, now
):
    response = staff_client(therapist).get(url(patient) + "?start=disc_recovery")

    assert response.status_code == 200
    keys = [row.exercise.key for row in response.context["rows"]]
    assert keys[:2] == ["five_point_bridge", "glute_bridge"] and "superman" in keys
    body = response.content.decode()
    superman = body[body.index('id="row-superman"') :]
    superman = superman[: superman.index("</fieldset>")]
    assert "not for lumbar instability" in superman
    assert 'name="i-superman-override_reason"' in superman
    assert "Starting dose (not from the articles)" in body  # glute bridge, plank, superman
    assert AuditEvent.objects.filter(object_type="assignment", action="read").count() == 1


def test_saving_without_the_override_reason_is_refused_next_to_the_item(
    staff_client, therapist, patient, now
):
    client = staff_client(therapist)
    response = client.post(url(patient), _template_post(client, patient, action="save"))

    assert response.status_code == 400
    assert not ProgrammeAssignment.objects.exists()
    row = next(r for r in response.context["rows"] if r.exercise.key == "superman")
    assert "not for lumbar instability" in " ".join(row.errors)
    assert "The programme was not saved." in response.content.decode()


def test_saving_with_the_override_records_it_and_shows_it_everywhere(
    staff_client, therapist, patient, now
):
    client = staff_client(therapist)
    data = _template_post(
        client, patient, action="save", **{"i-superman-override_reason": SUPERMAN_REASON}
    )
    response = client.post(url(patient), data)

    assert response.status_code == 302 and response["Location"] == url(patient, "history/")
    item = ProgrammeAssignment.objects.get().items.get(exercise__key="superman")
    assert (item.override_reason, item.overridden_by) == (SUPERMAN_REASON, therapist)
    history = client.get(url(patient, "history/")).content.decode()
    assert SUPERMAN_REASON in history and "Caution overridden" in history
    patient_page = client.get(f"/therapist/patients/{patient.public_id}/").content.decode()
    assert SUPERMAN_REASON in patient_page
    builder = client.get(url(patient)).content.decode()  # the current programme, carried
    assert SUPERMAN_REASON in builder and "Overridden by ther" in builder


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("i-plank-days_per_week", "9", "less than or equal to 7"),
        ("i-plank-sets", "-1", "greater than or equal to 0"),
        ("i-plank-sets", "many", "Enter a whole number"),
        ("i-plank-duration_weeks", "0", "greater than or equal to 1"),
        ("i-plank-starts_on", "2026-02-30", "Enter a valid date"),
        ("starts_on", "1999-01-01", "At most 90 days back"),
        ("i-plank-starts_on", "2026-03-01", "cannot start before its programme"),
        ("i-plank-note", "x" * 301, "at most 300 characters"),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_stored(
    staff_client, therapist, patient, now, field, value, message
):
    client = staff_client(therapist)
    data = _template_post(
        client,
        patient,
        action="save",
        **{"i-superman-override_reason": SUPERMAN_REASON, field: value},
    )
    response = client.post(url(patient), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgrammeAssignment.objects.exists()


def test_an_item_left_with_no_dose_cannot_be_saved(staff_client, therapist, patient, now):
    client = staff_client(therapist)
    blank = {f"i-plank-{name}": "" for name in ("sets", "reps", "hold_seconds", "minutes")}
    data = _template_post(
        client,
        patient,
        action="save",
        **{"i-superman-override_reason": SUPERMAN_REASON, "i-plank-times_per_day": ""},
        **blank,
    )
    response = client.post(url(patient), data)

    assert response.status_code == 400
    assert "Plank has no dose" in response.content.decode()
    assert not ProgrammeAssignment.objects.exists()


def test_nothing_saved_without_an_exercise(staff_client, therapist, patient, now):
    response = staff_client(therapist).post(
        url(patient), {"base": "", "starts_on": "2026-03-10", "action": "save"}
    )
    assert response.status_code == 400
    assert "A programme needs at least one exercise." in response.content.decode()
    assert not ProgrammeAssignment.objects.exists()


def test_search_in_chinese_and_filters_then_add_gives_the_starting_dose(
    staff_client, therapist, patient, now
):
    client = staff_client(therapist)
    found = client.post(url(patient), {"starts_on": "2026-03-10", "q": "臀桥", "action": "search"})
    assert [e.key for e in found.context["catalogue"]] == ["glute_bridge"]
    core = client.get(url(patient) + "?start=nothing&phase=acute&category=self_care")
    assert [e.key for e in core.context["catalogue"]] == ["heat_therapy"]

    added = client.post(
        url(patient), {"base": "", "starts_on": "2026-03-10", "action": "add:glute_bridge"}
    )
    (row,) = added.context["rows"]
    assert (row.values["sets"], row.values["reps"], row.values["hold_seconds"]) == (2, 10, 3)
    assert 'value="2"' in added.content.decode()
    assert not ProgrammeAssignment.objects.exists()


def test_remove_drops_a_row_and_keeps_what_was_typed_in_the_others(
    staff_client, therapist, patient, now
):
    client = staff_client(therapist)
    data = _template_post(client, patient, action="remove:superman", **{"i-plank-sets": "5"})
    response = client.post(url(patient), data)

    keys = [row.exercise.key for row in response.context["rows"]]
    assert "superman" not in keys
    assert 'name="i-plank-sets" value="5"' in response.content.decode()


def test_preview_shows_the_items_as_today_does_in_the_patients_language(
    staff_client, therapist, patient, now
):
    patient.patient_profile.language = "zh-hans"
    patient.patient_profile.save(update_fields=["language"])
    client = staff_client(therapist)
    data = _template_post(
        client, patient, action="preview", **{"i-superman-override_reason": SUPERMAN_REASON}
    )
    response = client.post(url(patient), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "五点支撑" in body and "小燕飞" in body  # the patient reads Chinese
    assert 'class="card item' in body  # Today's own item card
    assert "Back to the builder" in body  # the therapist's buttons stay in English
    assert not ProgrammeAssignment.objects.exists()


def test_history_says_what_changed_from_one_version_to_the_next(
    staff_client, therapist, patient, now
):
    client = staff_client(therapist)
    client.post(
        url(patient),
        _template_post(
            client, patient, action="save", **{"i-superman-override_reason": SUPERMAN_REASON}
        ),
    )
    data = _template_post(client, patient, action="save", **{"i-plank-sets": "4"})
    data.update(base="current", note="More plank")
    data["item"] = [key for key in data["item"] if key != "straight_leg_raise"]
    data["i-superman-override_reason"] = SUPERMAN_REASON
    assert client.post(url(patient), data).status_code == 302

    body = client.get(url(patient, "history/")).content.decode()
    latest = body[body.index('id="version-2"') : body.index('id="version-1"')]
    assert "Removed</span> Straight-leg raise" in latest
    assert "Changed</span> Plank: Dose <del>" in latest
    assert "<ins>Hold 15 s, 4 sets, once a day</ins>" in latest
    assert "More plank" in latest and "By ther" in latest
    assert "Caution overridden" not in latest  # the override was carried, not given again


def test_an_outsider_therapist_gets_404_on_every_page(staff_client, other_therapist, patient):
    client = staff_client(other_therapist)
    assert client.get(url(patient)).status_code == 404
    assert client.post(url(patient), {"action": "save"}).status_code == 404
    assert client.get(url(patient, "history/")).status_code == 404


def test_the_clinic_admin_reads_the_history_but_cannot_build(staff_client, clinic_admin, patient):
    client = staff_client(clinic_admin)
    assert client.get(url(patient, "history/")).status_code == 200
    assert client.get(url(patient)).status_code == 403


def test_a_patient_cannot_open_the_builder(client, patient):
    client.force_login(patient)
    assert client.get(url(patient)).status_code in (403, 404)
    assert client.post(url(patient), {"action": "save"}).status_code in (403, 404)


def test_an_unknown_filter_value_says_so_and_lists_the_whole_catalogue(
    staff_client, therapist, patient
):
    response = staff_client(therapist).get(url(patient) + "?phase=winter")

    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["catalogue"]) > 10
