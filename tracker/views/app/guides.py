"""The exercise guides (how to do each exercise, with pictures) and the guided player."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tracker.models import Difficulty, PatientProfile
from tracker.selectors import patient_app
from tracker.views.app.common import page_language, patient_only, render_page


def _item_id(request: HttpRequest):
    try:
        return uuid.UUID(request.GET.get("item", ""))
    except ValueError:
        return None


def _page_or_404(request: HttpRequest, profile: PatientProfile, key: str):
    page = patient_app.patient_guide_page(
        profile=profile, key=key, item_id=_item_id(request), language=page_language()
    )
    if page is None:
        raise Http404
    return page


@never_cache
@require_GET
@patient_only
def guide_list(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    mine, others = patient_app.patient_guides(profile=profile, language=page_language())
    context = {"mine": mine, "others": others, "nav": "guides"}
    return render_page(request, "tracker/app/guides.html", context)


@never_cache
@require_GET
@patient_only
def guide_detail(request: HttpRequest, profile: PatientProfile, key: str) -> HttpResponse:
    page = _page_or_404(request, profile, key)
    context = {"page": page, "entry": page.entry, "guide": page.entry.guide, "nav": "guides"}
    return render_page(request, "tracker/app/guide.html", context)


@never_cache
@require_GET
@patient_only
def guide_play(request: HttpRequest, profile: PatientProfile, key: str) -> HttpResponse:
    """The guided player. Its timer is JavaScript (player.js); without it the page lists the
    steps and offers the plain "Done" form."""
    page = _page_or_404(request, profile, key)
    entry = page.entry
    dosage = page.dosage
    player = {
        "exercise": entry.exercise.key,
        "item": str(entry.item.public_id) if entry.item is not None else None,
        "label": entry.name,
        "sets": dosage.sets,
        "reps": dosage.reps,
        "minutes": dosage.minutes,
        "pictures": {p.number: static(p.static_path) for p in entry.guide.pictures},
        "captions": {p.number: p.caption for p in entry.guide.pictures},
        "plan": [phase.as_dict() for phase in page.plan],
    }
    context = {
        "page": page,
        "entry": entry,
        "guide": entry.guide,
        "player": player,
        "scores": range(11),
        "difficulties": Difficulty.choices,
        "timezone": profile.timezone,
        "nav": "guides",
    }
    return render_page(request, "tracker/app/player.html", context)
