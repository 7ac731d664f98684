"""The builder's save (tracker/services/programme_builder.py), on the steps it shares with the
API's assignment_change."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from exercises.models import Exercise, ProgrammeTemplate
from tracker.models import AuditEvent, ProgrammeAssignment
from tracker.selectors.programme_builder import row_values_new, rows_from_template
from tracker.services.assignments import ProgrammeInvalid, assignment_change
from tracker.services.programme_builder import programme_save


def _template_items(key: str = "disc_recovery", **by_key):
    rows = rows_from_template(template=ProgrammeTemplate.objects.get(key=key), language="en")
    for row in rows:
        row.setdefault("starts_on", None)
        row.setdefault("override_reason", "")
        row.update(by_key.get(row["exercise"], {}))
    return rows


def _reason(text: str) -> dict:
    return {"superman": {"override_reason": text}}


def test_a_template_saved_with_an_override_records_who_why_and_which_caution(
    patient, therapist, now
):
    assignment = programme_save(
        patient=patient,
        therapist=therapist,
        template_key="disc_recovery",
        items=_template_items(**_reason("Stable on imaging; supervised in clinic.")),
    )

    superman = assignment.items.get(exercise__key="superman")
    assert superman.override_reason == "Stable on imaging; supervised in clinic."
    assert superman.overridden_by == therapist and superman.overridden_at is not None
    assert superman.overridden_cautions == ["lumbar_instability"]
    assert assignment.template.key == "disc_recovery" and assignment.version == 1
    assert AuditEvent.objects.filter(object_type="assignment", action="create").count() == 1


def test_an_exercise_against_its_caution_without_a_reason_is_refused_and_nothing_stored(
    patient, therapist, now
):
    with pytest.raises(ProgrammeInvalid) as error:
        programme_save(
            patient=patient,
            therapist=therapist,
            template_key="disc_recovery",
            items=_template_items(),
        )

    assert list(error.value.by_item) == ["superman"]
    assert "lumbar instability" in error.value.by_item["superman"][0]
    assert not ProgrammeAssignment.objects.exists()


def test_an_item_with_no_dose_at_all_is_refused(patient, therapist, now):
    items = _template_items(
        **_reason("ok"),
        plank={
            "sets": None,
            "reps": None,
            "hold_seconds": None,
            "minutes": None,
            "times_per_day": 0,
        },
    )
    with pytest.raises(ProgrammeInvalid) as error:
        programme_save(
            patient=patient, therapist=therapist, template_key="disc_recovery", items=items
        )

    assert "no dose" in error.value.by_item["plank"][0]
    assert not ProgrammeAssignment.objects.exists()


def test_the_api_refuses_an_item_with_no_dose_too(patient, therapist, now):
    assignment_change(patient=patient, therapist=therapist, template_key="circulation")
    with pytest.raises(ValidationError) as error:
        assignment_change(
            patient=patient,
            therapist=therapist,
            changes=[{"exercise": "brisk_walk", "minutes": None, "times_per_day": None}],
        )

    assert "no dose" in " ".join(error.value.message_dict["changes"])
    assert ProgrammeAssignment.objects.count() == 1


def test_an_added_exercise_without_an_article_dose_starts_from_the_starting_dose(db):
    # CLINICAL.md §1a: glute bridge 2 sets x 10, hold 3 s, once a day.
    glute = Exercise.objects.get(key="glute_bridge")
    values = row_values_new(glute)

    assert glute.is_starting_dose
    assert (values["sets"], values["reps"], values["hold_seconds"], values["times_per_day"]) == (
        2,
        10,
        3,
        1,
    )


def test_from_nothing_with_items_their_dates_and_weeks(patient, therapist, now):
    assignment = programme_save(
        patient=patient,
        therapist=therapist,
        items=[
            {
                **row_values_new(Exercise.objects.get(key="glute_bridge")),
                "starts_on": date(2026, 3, 17),
                "duration_weeks": 6,
                "note": "Slowly.",
                "override_reason": "",
            },
        ],
        starts_on=date(2026, 3, 10),
    )

    item = assignment.items.get()
    assert assignment.template is None
    assert (item.starts_on, item.duration_weeks, item.note) == (date(2026, 3, 17), 6, "Slowly.")
    assert not item.is_active_on(date(2026, 3, 16), programme_starts_on=assignment.starts_on)
    assert item.is_active_on(date(2026, 3, 17), programme_starts_on=assignment.starts_on)
    assert not item.is_active_on(date(2026, 4, 28), programme_starts_on=assignment.starts_on)


def test_an_item_cannot_start_before_its_programme(patient, therapist, now):
    with pytest.raises(ProgrammeInvalid) as error:
        programme_save(
            patient=patient,
            therapist=therapist,
            items=[
                {
                    **row_values_new(Exercise.objects.get(key="brisk_walk")),
                    "starts_on": date(2026, 3, 1),
                    "override_reason": "",
                }
            ],
            starts_on=date(2026, 3, 10),
        )

    assert "before its programme" in error.value.by_item["brisk_walk"][0]


def test_an_unchanged_override_keeps_its_author_and_time_and_a_removed_reason_refuses(
    patient, therapist, now, colleague
):
    first = programme_save(
        patient=patient,
        therapist=therapist,
        template_key="disc_recovery",
        items=_template_items(**_reason("Supervised.")),
    )
    from tests.factories import CareTeamMemberFactory

    CareTeamMemberFactory(patient=patient, therapist=colleague)
    second = programme_save(
        patient=patient,
        therapist=colleague,
        from_current=True,
        items=_template_items(**_reason("Supervised."), plank={"sets": 4}),
    )

    before = first.items.get(exercise__key="superman")
    after = second.items.get(exercise__key="superman")
    assert (after.overridden_by, after.overridden_at) == (therapist, before.overridden_at)
    assert second.items.get(exercise__key="plank").sets == 4
    with pytest.raises(ProgrammeInvalid):
        programme_save(
            patient=patient, therapist=colleague, from_current=True, items=_template_items()
        )
    assert ProgrammeAssignment.objects.count() == 2


def test_a_template_note_left_as_shown_stays_in_both_languages(patient, therapist, now):
    assignment = programme_save(
        patient=patient,
        therapist=therapist,
        template_key="disc_recovery",
        items=_template_items(**_reason("ok")),
    )

    template_item = (
        ProgrammeTemplate.objects.get(key="disc_recovery").items.exclude(note_en="").first()
    )
    if template_item is None:
        pytest.skip("the template has no note")
    item = assignment.items.get(exercise=template_item.exercise)
    assert (item.note, item.note_en) == (template_item.note_zh, template_item.note_en)
