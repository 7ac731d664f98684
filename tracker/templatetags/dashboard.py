"""Template helpers for the therapist dashboard."""

from datetime import date
from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from reminders.selectors import inbox_unread_count
from tracker import chart_svg, charts
from tracker.selectors.patient_page import AreaRow
from tracker.selectors.trends import CalendarDay
from tracker.templatetags.conversation import staff_unread_alerts

register = template.Library()


@register.simple_tag
def sparkline(chart: charts.Chart, element_id: str) -> SafeString:
    """`{% sparkline row.sparkline "spark-1" %}`: leg pain and numbness, with the figures in
    words for screen readers."""
    return sparkline_markup(chart, element_id, {})


def sparkline_markup(chart: charts.Chart, element_id: str, titles: dict[int, str]) -> SafeString:
    """The sparkline; `titles` keeps the title's translated wording by check-in count, so a page
    of fifty looks each wording up once (issue 16)."""
    leg, numbness = chart.by_key["leg_pain"], chart.by_key["numbness"]
    leg_latest, numbness_latest = leg.latest, numbness.latest
    if leg_latest is not None and numbness_latest is not None:
        wording = titles.get(leg.count)
        if wording is None:
            wording = titles[leg.count] = ngettext(
                "Last %(days)s days, %(count)s check-in: leg pain %(leg_first)s → "
                "%(leg_latest)s, numbness %(numbness_first)s → %(numbness_latest)s.",
                "Last %(days)s days, %(count)s check-ins: leg pain %(leg_first)s → "
                "%(leg_latest)s, numbness %(numbness_first)s → %(numbness_latest)s.",
                leg.count,
            )
        title = wording % {
            "days": chart.days,
            "count": leg.count,
            "leg_first": leg.first,
            "leg_latest": leg_latest.value,
            "numbness_first": numbness.first,
            "numbness_latest": numbness_latest.value,
        }
    else:
        wording = titles.get(-1)
        if wording is None:
            wording = titles[-1] = gettext("No check-ins in the last %(days)s days.")
        title = wording % {"days": chart.days}
    # sparkline_svg escapes the title and the id.
    return mark_safe(chart_svg.sparkline_svg(chart, title=title, element_id=element_id))  # noqa: S308


@register.simple_tag
def line_chart_body(chart: charts.Chart, key: str) -> SafeString:
    """`{% line_chart_body chart "leg_pain" %}`: the chart's gridlines, axes, flag markers and
    strips, line and dots (tracker/charts.py builds the markup, escaped)."""
    return mark_safe(chart_svg.line_chart_svg_body(chart, key=key))  # noqa: S308


@register.simple_tag
def area_week_headers(weeks: list[date]) -> SafeString:
    """The numbness-areas table's week columns, newest first, each with its year: a year is 53
    of them, built here, not in a loop of the template language."""
    return mark_safe(  # noqa: S308 - dates only
        "".join(
            f'<th scope="col"><time datetime="{w.isoformat()}">'
            f'<span class="year">{w:%Y}</span> {w:%m-%d}</time></th>'
            for w in reversed(weeks)
        )
    )


@register.simple_tag
def area_cells(row: AreaRow) -> SafeString:
    """One area's cells, a week each, newest first: days reported numb / check-ins that week,
    shaded 0-4."""
    return mark_safe(  # noqa: S308 - integers only
        "".join(
            f'<td class="shade-{int(shade)}">{f"{int(n)}/{int(total)}" if total else ""}</td>'
            for n, total, shade in reversed(row.cells)
        )
    )


@register.simple_tag
def calendar_cells(days: list[CalendarDay | None]) -> SafeString:
    """One week's cells of the patient page's session calendar, Monday first: sessions done /
    prescribed, and a tick for a day with a check-in (five weeks, built here, not in a loop of
    the template language)."""
    word = escape(gettext("Check-in"))
    tick = f' <span title="{word}">✓<span class="visually-hidden">{word}</span></span>'
    return mark_safe(  # noqa: S308 - dates, numbers and an escaped word
        "".join(
            f'<td class="cal-{cell.status}"><span class="day">{cell.on:%m-%d}</span>'
            f' <span class="count">{cell.done}/{floatformat(cell.prescribed, "-1")}</span>'
            f"{tick if cell.has_checkin else ''}</td>"
            if cell is not None
            else '<td class="cal-out"></td>'
            for cell in days
        )
    )


@register.simple_tag(takes_context=True)
def staff_unread_count(context) -> int:
    """Unread alerts in the signed-in therapist's inbox, for the header (one COUNT)."""
    user = context["request"].user
    if not (user.is_authenticated and (user.is_therapist or user.is_clinic_admin)):
        return 0
    return inbox_unread_count(user=user)


@register.simple_tag(takes_context=True)
def header_unread_alerts(context: template.Context) -> int:
    """The header's unread inbox alerts: what the view counted already (the caseload counts them
    with its rows' unread messages, request.staff_unread_alerts), else the header's own query."""
    request = context.get("request")
    if request is not None and hasattr(request, "staff_unread_alerts"):
        return int(request.staff_unread_alerts)
    return staff_unread_alerts(context)
