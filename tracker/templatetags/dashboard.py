"""Template helpers for the therapist dashboard."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from tracker import charts

register = template.Library()


@register.simple_tag
def sparkline(chart: charts.Chart, element_id: str) -> SafeString:
    """`{% sparkline row.sparkline "spark-1" %}`: leg pain and numbness, with the figures in
    words for screen readers."""
    leg, numbness = chart.by_key["leg_pain"], chart.by_key["numbness"]
    if leg.count:
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
            "leg_latest": leg.latest.value,
            "numbness_first": numbness.first,
            "numbness_latest": numbness.latest.value,
        }
    else:
        title = gettext("No check-ins in the last %(days)s days.") % {"days": chart.days}
    # sparkline_svg escapes the title and the id.
    return mark_safe(charts.sparkline_svg(chart, title=title, element_id=element_id))  # noqa: S308
