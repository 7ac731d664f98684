"""The catalogue's exercises as the patient pages show them, kept per worker process (issue 16).

Every patient's Today and guides carry the same few exercises (names, dosage words, guide steps,
sources: the largest columns the pages read). A page reads its items with each exercise's
`updated_at` and takes the exercise from here while that stamp is the one kept; a changed or new
one is read again (one query for all of them). Every change to an exercise moves its
`updated_at` (auto_now: the admin's save, and load_catalogue saves it among update_fields), and a
save or delete in this process empties the store outright. The instances are shared between
requests: read them, never change them.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models.signals import post_delete, post_save

from exercises.models import Exercise

_kept: dict[int, Exercise] = {}


def _forget(**_kwargs: object) -> None:
    _kept.clear()


post_save.connect(_forget, sender=Exercise, dispatch_uid="patient_app_exercises_saved")
post_delete.connect(_forget, sender=Exercise, dispatch_uid="patient_app_exercises_deleted")


def catalogue_exercises(stamps: dict[int, datetime]) -> dict[int, Exercise]:
    """{pk: exercise} for `stamps` ({pk: its updated_at as just read})."""
    stale = [
        pk
        for pk, updated_at in stamps.items()
        if (kept := _kept.get(pk)) is None or kept.updated_at != updated_at
    ]
    if stale:
        for exercise in Exercise.objects.filter(pk__in=stale):
            _kept[exercise.pk] = exercise
    return {pk: _kept[pk] for pk in stamps if pk in _kept}
