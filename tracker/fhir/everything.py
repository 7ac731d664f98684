"""Patient/$everything: one patient's record as a FHIR R4 searchset Bundle."""

from datetime import date, datetime
from typing import Any
from uuid import uuid4

from django.utils import timezone

from tracker.fhir import terminology as t
from tracker.fhir.questionnaire import questionnaire_response
from tracker.fhir.resources import (
    careplan_resources,
    flag_resource,
    observation_resources,
    patient_resource,
    practitioner_resource,
    psfs_observation,
    reference,
)
from tracker.flag_texts import flag_explanation
from tracker.models import CareTeamMember, CheckIn, Flag, PatientProfile, PsfsRating
from tracker.selectors import assignments_for_patient


def patient_everything(
    *, profile: PatientProfile, since: datetime | None = None, language: str = "zh-hans"
) -> dict:
    """Patient and the care team's Practitioners always; with `since`, only the records changed
    at or after it (check-ins by their last change, programme versions by when they were written,
    flags by their last update), as FHIR's `_since` reads."""
    patient = profile.user
    therapists = [
        member.therapist
        for member in CareTeamMember.objects.filter(patient=patient)
        .select_related("therapist")
        .order_by("added_at")
    ]
    patient_ref = reference("Patient", patient.public_id, profile.display_name)
    assignments = list(assignments_for_patient(patient=patient))
    checkins = CheckIn.objects.filter(patient=patient).order_by("date")
    flags = (
        Flag.objects.filter(patient=patient)
        .select_related("resolved_by")
        .order_by("opened_on", "opened_at")
    )
    if since is not None:
        checkins = checkins.filter(updated_at__gte=since)
        flags = flags.filter(updated_at__gte=since)
    careplans = careplan_resources(assignments, patient_ref=patient_ref, language=language)
    if since is not None:
        kept = {str(a.public_id) for a in assignments if a.created_at >= since}
        careplans = [plan for plan in careplans if plan["id"] in kept]

    matches: list[dict] = [patient_resource(profile, therapists=therapists)]
    # The care team, and anyone else a CarePlan or Flag names as its author (a therapist who
    # has since left the team), so every Practitioner reference resolves inside the Bundle.
    practitioners = {therapist.pk: therapist for therapist in therapists}
    for assignment in assignments:
        if assignment.created_by is not None:
            practitioners.setdefault(assignment.created_by.pk, assignment.created_by)
    flag_rows = list(flags)
    for flag in flag_rows:
        if flag.resolved_by_id and flag.resolved_by is not None:
            practitioners.setdefault(flag.resolved_by.pk, flag.resolved_by)
    included: list[dict] = [practitioner_resource(user) for user in practitioners.values()]
    matches += careplans
    for checkin in checkins:
        matches.append(questionnaire_response(checkin, patient_ref=patient_ref))
        matches += observation_resources(checkin, patient_ref=patient_ref)
    for flag in flag_rows:
        explanation = flag_explanation(
            flag.rule, flag.latest_evidence, audience="therapist", language=language
        )
        matches.append(flag_resource(flag, patient_ref=patient_ref, explanation=explanation))

    matches += _psfs(patient, since=since, patient_ref=patient_ref)

    base = t.api_base()
    entries = [
        {
            "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {"mode": mode},
        }
        for resources, mode in ((matches, "match"), (included, "include"))
        for resource in resources
    ]
    return {
        "resourceType": "Bundle",
        "id": str(uuid4()),
        "meta": {"lastUpdated": timezone.now().isoformat()},
        "type": "searchset",
        "total": len(matches),
        "link": [{"relation": "self", "url": f"{base}/Patient/{patient.public_id}/$everything"}],
        "entry": entries,
    }


def _psfs(patient, *, since: datetime | None, patient_ref: dict[str, Any]) -> list[dict]:
    """One Observation per PSFS rating date; with `since`, the dates with a changed rating."""
    by_day: dict[date, list[PsfsRating]] = {}
    for rating in (
        PsfsRating.objects.filter(activity__patient=patient)
        .select_related("activity")
        .order_by("rated_on", "activity__slot")
    ):
        by_day.setdefault(rating.rated_on, []).append(rating)
    out = []
    for on, ratings in by_day.items():
        last_updated = max(r.updated_at for r in ratings)
        if since is not None and last_updated < since:
            continue
        out.append(
            psfs_observation(
                patient.public_id,
                on,
                mean=round(sum(r.score for r in ratings) / len(ratings), 1),
                ratings=[(r.activity.text, r.score) for r in ratings],
                patient_ref=patient_ref,
                last_updated=last_updated,
            )
        )
    return out
