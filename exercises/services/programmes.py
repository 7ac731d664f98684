"""Programme templates and the caution guard that protects every programme."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exercises.cautions import caution_conflicts
from exercises.models import Exercise, ProgrammeTemplate, ProgrammeTemplateItem
from reminders.languages import is_english

if TYPE_CHECKING:
    # django-stubs resolves this to settings.AUTH_USER_MODEL; exercises never imports tracker.
    from django.contrib.auth.models import _User as User

# The role string of tracker.User.Role.THERAPIST: exercises never imports tracker (STYLE.md).
THERAPIST_ROLE = "therapist"


def caution_guard(
    *,
    exercise: Exercise,
    phase: str,
    conditions: Iterable[str],
    override_reason: str = "",
    overridden_by: "User | None" = None,
) -> list[str]:
    """Refuse an exercise given against its caution, unless a therapist overrides with a reason.

    Returns the contraindication codes that were overridden ([] when there was no conflict).
    """
    conflicts = caution_conflicts(
        exercise_key=exercise.key,
        name_zh=exercise.name_zh,
        name_en=exercise.name_en,
        contraindications=exercise.contraindications,
        phase=phase,
        conditions=conditions,
    )
    if not conflicts:
        return []
    messages = [c.message for c in conflicts]
    if not (override_reason or "").strip():
        errors = {"exercise": messages}
        if overridden_by is not None:
            errors["override_reason"] = [_("A therapist overriding a caution must give a reason.")]
        raise ValidationError(errors)
    if overridden_by is None or getattr(overridden_by, "role", None) != THERAPIST_ROLE:
        raise ValidationError(
            {
                "exercise": messages,
                "override_reason": [_("Only a therapist can override a caution.")],
            }
        )
    return [c.code for c in conflicts]


@transaction.atomic
def template_item_add(
    *,
    template: ProgrammeTemplate,
    exercise: Exercise,
    sets: int | None = None,
    reps: int | None = None,
    hold_seconds: int | None = None,
    minutes: int | None = None,
    times_per_day: int | None = None,
    days_per_week: int = 7,
    duration_weeks: int | None = None,
    note_zh: str = "",
    note_en: str = "",
    override_reason: str = "",
    overridden_by: "User | None" = None,
) -> ProgrammeTemplateItem:
    overridden = caution_guard(
        exercise=exercise,
        phase=template.phase,
        conditions=template.conditions,
        override_reason=override_reason,
        overridden_by=overridden_by,
    )
    if not 1 <= days_per_week <= 7:
        raise ValidationError({"days_per_week": [_("Days per week must be 1–7.")]})
    # Lock the template row so two additions cannot race past the duplicate check.
    ProgrammeTemplate.objects.select_for_update().only("pk").get(pk=template.pk)
    if template.items.filter(exercise=exercise).exists():
        raise ValidationError(
            {
                "exercise": [
                    _("%(name)s is already in this programme.")
                    % {"name": exercise.name_en if is_english() else exercise.name_zh}
                ]
            }
        )
    last = template.items.aggregate(last=Max("position"))["last"] or 0
    return ProgrammeTemplateItem.objects.create(
        template=template,
        exercise=exercise,
        position=last + 1,
        sets=sets,
        reps=reps,
        hold_seconds=hold_seconds,
        minutes=minutes,
        times_per_day=times_per_day,
        days_per_week=days_per_week,
        duration_weeks=duration_weeks,
        note_zh=note_zh,
        note_en=note_en,
        # The DB constraint holds reason and author together: both or neither.
        overridden_cautions=overridden,
        override_reason=override_reason.strip() if overridden else "",
        overridden_by=overridden_by if overridden else None,
        overridden_at=timezone.now() if overridden else None,
    )
