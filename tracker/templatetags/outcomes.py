"""The outcomes pieces of other pages (PSFS on the therapist's patient page and the patient's
Progress page, the report form), drawn by their own tags so those pages' views and selectors
need not know about them."""

from datetime import date, timedelta

from django import template

from tracker.patient_calendar import local_today
from tracker.selectors.psfs import psfs_summary
from tracker.selectors.report import REPORT_DEFAULT_DAYS

register = template.Library()


@register.filter
def report_default_start(today: date) -> date:
    return today - timedelta(days=REPORT_DEFAULT_DAYS - 1)


# The patient's phone pages draw their charts narrower, so the labels stay legible at 360 px.
PHONE_CHART_WIDTH = 340


def _psfs_context(profile, *, width: int = 720) -> dict:
    psfs = psfs_summary(patient=profile.user, today=local_today(profile))
    # The chart is drawn only when there are scores to draw (the templates show it only then).
    chart = psfs.chart(width=width) if psfs.scores else None
    return {"psfs": psfs, "psfs_chart": chart, "profile": profile}


@register.inclusion_tag("tracker/dashboard/_psfs.html", takes_context=True)
def outcomes_psfs(context, profile) -> dict:
    """`profile` is the page's patient, already visible to the reader (patient_get)."""
    user = context["request"].user
    return {
        **_psfs_context(profile),
        "can_act": user.is_therapist,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tracker/app/_psfs_block.html", takes_context=True)
def psfs_progress(context) -> dict:
    """On the patient's own Progress page: the signed-in patient's PSFS."""
    profile = context["page"].profile if hasattr(context.get("page"), "profile") else None
    if profile is None:
        profile = context["request"].user.patient_profile
    return _psfs_context(profile, width=PHONE_CHART_WIDTH)
