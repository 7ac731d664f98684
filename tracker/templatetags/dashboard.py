"""Template helpers for the therapist dashboard."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from reminders.selectors import inbox_unread_count
from tracker import charts

register = template.Library()


@register.simple_tag
def sparkline(chart: charts.Chart, element_id: str) -> SafeString:
    """`{% sparkline row.sparkline "spark-1" %}`: leg pain and numbness, with the figures in
    words for screen readers."""
    leg, numbness = chart.by_key["leg_pain"], chart.by_key["numbness"]
    leg_latest, numbness_latest = leg.latest, numbness.latest
    if leg_latest is not None and numbness_latest is not None:
        title = ngettext(
            "Last %(days)s days, %(count)s check-in: leg pain %(leg_first)s → %(leg_latest)s, "
            "numbness %(numbness_first)s → %(numbness_latest)s.",
            "Last %(days)s days, %(count)s check-ins: leg pain %(leg_first)s → %(leg_latest)s, "
            "numbness %(numbness_first)s → %(numbness_latest)s.",
            leg.count,
        ) % {
            "days": chart.days,
            "count": leg.count,
            "leg_first": leg.first,
            "leg_latest": leg_latest.value,
            "numbness_first": numbness.first,
            "numbness_latest": numbness_latest.value,
        }
    else:
        title = gettext("No check-ins in the last %(days)s days.") % {"days": chart.days}
    # sparkline_svg escapes the title and the id.
    return mark_safe(charts.sparkline_svg(chart, title=title, element_id=element_id))  # noqa: S308


@register.simple_tag(takes_context=True)
def staff_unread_count(context) -> int:
    """Unread alerts in the signed-in therapist's inbox, for the header (one COUNT)."""
    user = context["request"].user
    if not (user.is_authenticated and (user.is_therapist or user.is_clinic_admin)):
        return 0
    return inbox_unread_count(user=user)
