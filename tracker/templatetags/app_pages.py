"""Tags for the patient's Progress page (issue 16): the parts with a node per day, rendered in
Python to the markup the template wrote (`|date:"Y-m-d"` is the ISO date, `|date:"j"` the day of
the month, numbers as the template prints them; floatformat is the filter itself)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString

from tracker.selectors.trends import CalendarDay

register = template.Library()


def _cell(day: CalendarDay | None) -> SafeString:
    if day is None:
        return SafeString("<td></td>")
    done = int(day.done)
    counts = f"{done}/{escape(floatformat(day.prescribed, '0'))}" if day.prescribed else "–"
    today = " today" if day.is_today else ""
    return SafeString(
        f'<td class="day-{escape(day.status)}{today}" data-date="{day.on.isoformat()}"'
        f' data-done="{done}"><span>{day.on.day}</span><small>{counts}</small></td>'
    )


@register.simple_tag
def calendar_rows(weeks: list[list[CalendarDay | None]]) -> SafeString:
    """<tr> per Monday-first week of the exercise calendar."""
    return SafeString(
        "".join(f"<tr>{''.join(_cell(day) for day in week)}</tr>\n    " for week in weeks)
    )
