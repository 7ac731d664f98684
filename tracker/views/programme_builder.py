"""The programme builder: a therapist builds or changes a patient's programme, previews it as
the patient's Today page will show it, and reads its version history.

One form carries the whole draft (see tracker/forms_programme.py); only "Save" writes, through
the same service steps as the API (tracker/services/programme_builder.py). Therapists of the
patient's care team only; anyone else who may not see the patient gets 404.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from exercises.models import ProgrammeTemplate
from tracker.forms_programme import (
    CatalogueSearchForm,
    ProgrammeHeaderForm,
    ProgrammeItemForm,
    row_prefix,
)
from tracker.models import Difficulty, PatientProfile
from tracker.patient_calendar import local_today
from tracker.selectors import patient_get
from tracker.selectors.programme_builder import (
    builder_catalogue,
    current_programme,
    draft_rows,
    exercises_by_key,
    programme_history,
    programme_preview,
    row_values_new,
    rows_from_assignment,
    rows_from_template,
)
from tracker.services.assignments import ProgrammeInvalid
from tracker.services.audit import audit_record_reads
from tracker.services.programme_builder import programme_save
from tracker.views.signed_in import SignedInRequest

CURRENT = "current"


def _therapist_profile(request: SignedInRequest, patient_id: UUID) -> PatientProfile:
    user = request.user
    profile = patient_get(user=user, patient_id=patient_id)
    if not user.is_therapist:
        raise PermissionDenied
    return profile


def _initial_draft(
    request: SignedInRequest, profile: PatientProfile
) -> tuple[str, list[dict[str, Any]]]:
    """The draft a GET opens: ?start=<template key> or ?start=nothing, else the current
    programme (or nothing when there is none)."""
    start = request.GET.get("start", "")
    current = current_programme(patient=profile.user)
    if start and start != "nothing":
        template = ProgrammeTemplate.objects.filter(key=start).first()
        if template is not None:
            return template.key, rows_from_template(template=template, language=profile.language)
    if start != "nothing" and current is not None:
        return CURRENT, rows_from_assignment(assignment=current, language=profile.language)
    return "", []


def _posted_rows(data: QueryDict) -> list[ProgrammeItemForm]:
    keys = list(dict.fromkeys(data.getlist("item")))[:50]
    return [ProgrammeItemForm(data, prefix=row_prefix(key)) for key in keys]


def _raw(form: ProgrammeItemForm) -> dict[str, Any]:
    """What the therapist typed in a row, as initial values (no errors shown)."""
    values = {name: form.data.get(form.add_prefix(name), "") for name in form.fields}
    values["exercise"] = form.prefix.split("-", 1)[1] if form.prefix else ""
    return values


@login_required
@require_http_methods(["GET", "POST"])
def programme_builder(request: SignedInRequest, patient_id: UUID) -> HttpResponse:
    profile = _therapist_profile(request, patient_id)
    today = local_today(profile)
    current = current_programme(patient=profile.user)
    item_errors: dict[str, list[str]] = {}
    errors: list[str] = []
    status = 200
    if request.method == "GET":
        base, values = _initial_draft(request, profile)
        header = ProgrammeHeaderForm(initial={"base": base, "starts_on": today})
        search = CatalogueSearchForm(request.GET)
        bound_rows: list[ProgrammeItemForm] = []
        audit_record_reads(actor=request.user, profiles=[profile], object_type="assignment")
    else:
        header = ProgrammeHeaderForm(request.POST)
        search = CatalogueSearchForm(request.POST)
        bound_rows = _posted_rows(request.POST)
        values = [_raw(form) for form in bound_rows]
        action = request.POST.get("action", "")
        if action.startswith("add:"):
            key = action[4:]
            exercise = exercises_by_key(keys=[key]).get(key)
            if exercise is not None and key not in [v["exercise"] for v in values]:
                values.append(row_values_new(exercise))
            bound_rows = []
        elif action.startswith("remove:"):
            values = [v for v in values if v["exercise"] != action[7:]]
            bound_rows = []
        elif action in ("save", "preview"):
            valid = header.is_valid() & all([form.is_valid() for form in bound_rows])
            if not bound_rows:
                errors.append(_("A programme needs at least one exercise."))
            elif not valid:
                errors.append(_("Some fields need correcting: see the messages below."))
            elif action == "preview":
                return _preview(request, profile, header, bound_rows)
            else:
                saved = _save(request, profile, header, bound_rows, errors, item_errors)
                if saved is not None:
                    return saved
            status = 400 if errors else 200
        else:
            bound_rows = []  # search, or back from the preview: no errors yet
    starts_on = (
        header.cleaned_data.get("starts_on") if header.is_bound and header.is_valid() else None
    )
    rows = draft_rows(profile=profile, values=values, on=starts_on or today, current=current)
    forms_by_key = {form.prefix: form for form in bound_rows}
    for row in rows:
        prefix = row_prefix(row.exercise.key)
        row.form = forms_by_key.get(prefix) or ProgrammeItemForm(prefix=prefix, initial=row.values)
        row.errors = item_errors.get(row.exercise.key, [])
    filters = search.cleaned_data if search.is_valid() else {}
    catalogue = builder_catalogue(
        query=filters.get("q", ""),
        phase=filters.get("phase", ""),
        category=filters.get("category", ""),
        leave_out=[row.exercise.key for row in rows],
    )
    context = {
        "profile": profile,
        "header": header,
        "search": search,
        "rows": rows,
        "catalogue": catalogue,
        "templates": ProgrammeTemplate.objects.order_by("key"),
        "errors": errors,
        "current": current,
        "nav": "caseload",
    }
    return render(request, "tracker/builder/builder.html", context, status=status)


def _save(
    request: SignedInRequest,
    profile: PatientProfile,
    header: ProgrammeHeaderForm,
    rows: list[ProgrammeItemForm],
    errors: list[str],
    item_errors: dict[str, list[str]],
) -> HttpResponse | None:
    """Save the draft through the service: the redirect to the history, or None with `errors`
    (for the page) and `item_errors` (by exercise key, shown next to each item) filled in."""
    base = header.cleaned_data["base"]
    try:
        programme_save(
            patient=profile.user,
            therapist=request.user,
            items=[form.item() for form in rows],
            template_key="" if base in ("", CURRENT) else base,
            from_current=base == CURRENT,
            starts_on=header.cleaned_data["starts_on"],
            note=header.cleaned_data["note"].strip(),
        )
    except ProgrammeInvalid as error:
        item_errors.update(error.by_item)
        # What belongs to an item is shown next to it; the rest at the top.
        prefixes = tuple(f"{key}: " for key in error.by_item)
        errors.append(_("The programme was not saved."))
        errors.extend(
            message
            for name, texts in error.message_dict.items()
            if name != "cautions"
            for message in texts
            if not (name == "changes" and message.startswith(prefixes))
        )
        return None
    except ValidationError as error:
        errors.extend(error.messages)
        return None
    messages.success(request, _("Programme saved as a new version."))
    return HttpResponseRedirect(
        reverse("dashboard:programme-history", args=[profile.user.public_id])
    )


def _preview(
    request: SignedInRequest,
    profile: PatientProfile,
    header: ProgrammeHeaderForm,
    rows: list[ProgrammeItemForm],
) -> HttpResponse:
    starts_on = header.cleaned_data["starts_on"]
    today = local_today(profile)
    shown_on = max(today, starts_on)
    # Rendered in the patient's language, with the patient app's own item template.
    with translation.override(profile.language):
        entries = programme_preview(
            profile=profile,
            items=[form.item() for form in rows],
            today=shown_on,
            starts_on=starts_on,
        )
        cards = render_to_string(
            "tracker/builder/_preview_items.html",
            {
                "entries": entries,
                "today": shown_on,
                "scores": range(11),
                "difficulties": Difficulty.choices,
            },
        )
    hidden = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "action")
        for value in request.POST.getlist(name)
    ]
    context = {
        "profile": profile,
        "cards": cards,
        "entries": entries,
        "shown_on": shown_on,
        "hidden": hidden,
        "patient_language": profile.language,
        "nav": "caseload",
    }
    return render(request, "tracker/builder/preview.html", context)


@login_required
@require_GET
def programme_history_view(request: SignedInRequest, patient_id: UUID) -> HttpResponse:
    user = request.user
    if not (user.is_therapist or user.is_clinic_admin):
        raise PermissionDenied
    profile = patient_get(user=user, patient_id=patient_id)
    labels = {
        "dose": _("Dose"),
        "days_per_week": _("Days a week"),
        "starts_on": _("Starts on"),
        "duration_weeks": _("Weeks"),
        "note": _("Note"),
    }
    entries = programme_history(patient=profile.user, labels=labels)
    audit_record_reads(actor=user, profiles=[profile], object_type="assignment")
    context = {
        "profile": profile,
        "entries": entries,
        "can_edit": user.is_therapist,
        "language": get_language(),
        "nav": "caseload",
    }
    return render(request, "tracker/builder/history.html", context)
