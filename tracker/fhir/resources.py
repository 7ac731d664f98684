"""Patient, Practitioner, CarePlan, Observation and Flag resources from our rows."""

from datetime import date, timedelta
from typing import Any

from exercises.dosage import item_dosage
from reminders.languages import is_english
from tracker.fhir import terminology as t
from tracker.models import (
    CheckIn,
    Flag,
    FlagRule,
    FlagStatus,
    PatientProfile,
    ProgrammeAssignment,
    User,
)

GENDERS = {"female": "female", "male": "male", "other": "other", "undisclosed": "unknown"}
LANGUAGES = {"zh-hans": ("zh-CN", "中文"), "en": ("en", "English")}
# Flag.status in FHIR is active | inactive | entered-in-error; our workflow status (open,
# acknowledged, resolved, withdrawn) travels alongside in an extension.
FLAG_STATUSES = {
    FlagStatus.OPEN: "active",
    FlagStatus.ACKNOWLEDGED: "active",
    FlagStatus.RESOLVED: "inactive",
    FlagStatus.WITHDRAWN: "entered-in-error",
}


def workflow_status_url() -> str:
    return f"{t.api_base()}/StructureDefinition/flag-workflow-status"


def reference(resource_type: str, resource_id: object, display: str = "") -> dict:
    ref = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        ref["display"] = display
    return ref


def _identifier(kind: str, value: object) -> dict:
    return {"system": f"{t.api_base()}/identifiers/{kind}", "value": str(value)}


def person_name(user: User) -> str:
    return user.get_full_name() or user.username


def patient_resource(profile: PatientProfile, *, therapists: list[User]) -> dict:
    user = profile.user
    code, display = LANGUAGES.get(profile.language, LANGUAGES["zh-hans"])
    resource = {
        "resourceType": "Patient",
        "id": str(user.public_id),
        "meta": {"lastUpdated": profile.updated_at.isoformat()},
        "identifier": [_identifier("patient", user.public_id)],
        "active": user.is_active,
        "name": [{"text": profile.display_name}],
        "gender": GENDERS.get(profile.sex, "unknown"),
        "communication": [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": code, "display": display}]
                },
                "preferred": True,
            }
        ],
        "generalPractitioner": [
            reference("Practitioner", therapist.public_id, person_name(therapist))
            for therapist in therapists
        ],
    }
    if profile.date_of_birth:
        resource["birthDate"] = profile.date_of_birth.isoformat()
    if profile.clinic:
        resource["managingOrganization"] = {"display": profile.clinic.name}
    if user.email:
        resource["telecom"] = [{"system": "email", "value": user.email}]
    return resource


def practitioner_resource(therapist: User) -> dict:
    return {
        "resourceType": "Practitioner",
        "id": str(therapist.public_id),
        "identifier": [_identifier("practitioner", therapist.public_id)],
        "active": therapist.is_active,
        "name": [{"text": person_name(therapist)}],
    }


def _timing(dosage) -> dict:
    repeat: dict[str, Any] = {
        "frequency": dosage.times_per_day or 1,
        "period": 1,
        "periodUnit": "d",
    }
    if dosage.minutes:
        repeat["duration"] = dosage.minutes
        repeat["durationUnit"] = "min"
    return {"repeat": repeat}


def careplan_resource(
    assignment: ProgrammeAssignment,
    *,
    patient_ref: dict[str, Any],
    ends_on: date | None,
    language: str,
) -> dict:
    """One programme version; an older version is `completed` and the newer one `replaces` it."""
    english = is_english(language)
    activities = []
    for item in assignment.items.all():
        exercise = item.exercise
        dosage = item_dosage(item)
        words = dosage.text_en if english else dosage.text_zh
        per_week = (
            f"{item.days_per_week} days a week" if english else f"每周 {item.days_per_week} 天"
        )
        description = "; ".join(part for part in (words, per_week, item.note) if part)
        activities.append(
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": {
                        "coding": [t.coding(t.exercise_code(exercise.key), exercise.name_en)],
                        "text": exercise.name_en if english else exercise.name_zh,
                    },
                    "status": "in-progress" if assignment.is_current else "completed",
                    "scheduledTiming": _timing(dosage),
                    "description": description,
                }
            }
        )
    title = assignment.template.localized("name") if assignment.template else ""
    period = {"start": assignment.starts_on.isoformat()}
    if ends_on is not None:
        period["end"] = ends_on.isoformat()
    resource = {
        "resourceType": "CarePlan",
        "id": str(assignment.public_id),
        "meta": {"lastUpdated": assignment.created_at.isoformat()},
        "identifier": [_identifier("programme-version", assignment.public_id)],
        "status": "active" if assignment.is_current else "completed",
        "intent": "plan",
        "title": f"{title} v{assignment.version}".strip(),
        "subject": patient_ref,
        "period": period,
        "created": assignment.created_at.isoformat(),
        "author": reference(
            "Practitioner", assignment.created_by.public_id, person_name(assignment.created_by)
        ),
        "activity": activities,
    }
    if assignment.note:
        resource["description"] = assignment.note
    return resource


def careplan_resources(
    assignments: list[ProgrammeAssignment], *, patient_ref: dict[str, Any], language: str
) -> list[dict]:
    ordered = sorted(assignments, key=lambda a: a.version)
    resources = []
    for index, assignment in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        ends_on = None
        if following is not None:
            ends_on = max(following.starts_on - timedelta(days=1), assignment.starts_on)
        resource = careplan_resource(
            assignment, patient_ref=patient_ref, ends_on=ends_on, language=language
        )
        if index:
            resource["replaces"] = [reference("CarePlan", ordered[index - 1].public_id)]
        resources.append(resource)
    return resources


def _observation(
    checkin: CheckIn, key: str, *, patient_ref: dict[str, Any], code: dict[str, Any]
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"{checkin.public_id}-{key}",
        "meta": {"lastUpdated": checkin.updated_at.isoformat()},
        "status": "final",
        "category": [
            {"coding": [{"system": t.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": code,
        "subject": patient_ref,
        "effectiveDateTime": checkin.date.isoformat(),
        "issued": checkin.updated_at.isoformat(),
        "performer": [patient_ref],
        "derivedFrom": [reference("QuestionnaireResponse", checkin.public_id)],
    }


def _score(value: float) -> dict:
    return {"value": value, "unit": "score", "system": t.UCUM, "code": "{score}"}


BOOLEAN_ANSWERS = (
    "can_walk_on_heels",
    "can_walk_on_toes",
    "bowel_bladder_change",
    "saddle_numbness",
    "night_pain",
    "calf_cramps",
    "stopped_walking",
)


def observation_resources(checkin: CheckIn, *, patient_ref: dict[str, Any]) -> list[dict]:
    """One Observation per answer of the check-in (an empty answer has none)."""
    out = []
    for field in ("back_pain", "leg_pain"):
        pain = {
            "coding": [{"system": t.LOINC, **t.PAIN_SEVERITY}],
            "text": "Back pain" if field == "back_pain" else "Leg pain",
        }
        resource = _observation(
            checkin, field.replace("_", "-"), patient_ref=patient_ref, code=pain
        )
        resource["valueQuantity"] = _score(getattr(checkin, field))
        resource["bodySite"] = {"coding": [t.BODY_SITES[field]]}
        out.append(resource)

    def own(code: str) -> dict:
        return {"coding": [t.answer_coding(code)]}

    numbness = _observation(checkin, "numbness", patient_ref=patient_ref, code=own("numbness"))
    numbness["valueQuantity"] = _score(checkin.numbness)
    out.append(numbness)
    if checkin.numbness_areas:
        areas = _observation(
            checkin, "numbness-areas", patient_ref=patient_ref, code=own("numbness-areas")
        )
        areas["component"] = [
            {
                "code": {"coding": [t.coding(t.area_code(area), t.area_display(area)[0])]},
                "valueBoolean": True,
            }
            for area in checkin.numbness_areas
        ]
        out.append(areas)
    for field in BOOLEAN_ANSWERS:
        code = field.replace("_", "-")
        resource = _observation(checkin, code, patient_ref=patient_ref, code=own(code))
        resource["valueBoolean"] = getattr(checkin, field)
        out.append(resource)
    if checkin.walking_minutes is not None:
        walking = _observation(
            checkin, "walking-minutes", patient_ref=patient_ref, code=own("walking-minutes")
        )
        walking["valueQuantity"] = {
            "value": checkin.walking_minutes,
            "unit": "min",
            "system": t.UCUM,
            "code": "min",
        }
        out.append(walking)
    return out


def flag_resource(flag: Flag, *, patient_ref: dict[str, Any], explanation: str) -> dict[str, Any]:
    """period.start is the date of the flag's first evidence (CLINICAL.md §4a); a resolved or
    withdrawn flag's period ends when that happened."""
    period = {"start": flag.opened_on.isoformat()}
    closed_at = flag.resolved_at or flag.withdrawn_at
    if closed_at is not None:
        period["end"] = closed_at.isoformat()
    label_en, _label_zh = t.both_languages(FlagRule(flag.rule).label)
    resource = {
        "resourceType": "Flag",
        "id": str(flag.public_id),
        "meta": {"lastUpdated": flag.updated_at.isoformat()},
        "extension": [{"url": workflow_status_url(), "valueCode": flag.status}],
        "status": FLAG_STATUSES[FlagStatus(flag.status)],
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/flag-category",
                        "code": "clinical",
                        "display": "Clinical",
                    },
                    t.coding(f"severity-{flag.severity}", flag.severity.title()),
                ]
            }
        ],
        "code": {"coding": [t.coding(t.rule_code(flag.rule), label_en)], "text": explanation},
        "subject": patient_ref,
        "period": period,
    }
    resolver = flag.resolved_by if flag.resolved_by_id else None
    if resolver is not None:
        resource["author"] = reference("Practitioner", resolver.public_id, person_name(resolver))
    return resource


def psfs_observation(
    patient_public_id: object,
    on,
    *,
    mean: float,
    ratings: list[tuple[str, int]],
    patient_ref: dict[str, Any],
    last_updated,
) -> dict:
    """The PSFS mean of one rating date (CLINICAL.md §3a), each activity's score a component
    named in the patient's words."""
    return {
        "resourceType": "Observation",
        "id": f"psfs-{patient_public_id}-{on.isoformat()}",
        "meta": {"lastUpdated": last_updated.isoformat()},
        "status": "final",
        "category": [
            {"coding": [{"system": t.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {"coding": [t.answer_coding("psfs-mean")], "text": "PSFS mean score"},
        "subject": patient_ref,
        "effectiveDateTime": on.isoformat(),
        "performer": [patient_ref],
        "valueQuantity": _score(mean),
        "component": [
            {"code": {"text": text}, "valueQuantity": _score(score)} for text, score in ratings
        ],
    }
