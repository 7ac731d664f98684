"""An item's own start date and weeks decide when the patient's Today page shows it."""

from datetime import date

from exercises.models import Exercise
from tracker.selectors.patient_app.today import patient_today
from tracker.selectors.programme_builder import row_values_new
from tracker.services.programme_builder import programme_save


def _item(key: str, **values) -> dict:
    return {
        **row_values_new(Exercise.objects.get(key=key)),
        "override_reason": "",
        **values,
    }


def test_today_shows_an_item_from_its_start_date_until_its_weeks_are_over(
    patient, therapist, now, time_machine
):
    programme_save(
        patient=patient,
        therapist=therapist,
        items=[
            _item("brisk_walk"),
            _item("glute_bridge", starts_on=date(2026, 3, 17), duration_weeks=1),
        ],
        starts_on=date(2026, 3, 10),
    )
    profile = patient.patient_profile

    def names() -> list[str]:
        return [entry.item.exercise.key for entry in patient_today(profile=profile).items]

    assert names() == ["brisk_walk"]
    time_machine.move_to("2026-03-17 04:00:00+00:00", tick=False)
    assert names() == ["brisk_walk", "glute_bridge"]
    time_machine.move_to("2026-03-24 04:00:00+00:00", tick=False)
    assert names() == ["brisk_walk"]
