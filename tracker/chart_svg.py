"""The dashboard's charts (tracker/charts.py) as inline SVG markup, escaped: built in Python
rather than in templates because the caseload draws fifty sparklines a page and a year's line
chart is hundreds of elements, which the template language renders slowly."""

import html

from tracker.charts import Chart


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def sparkline_svg(chart: Chart, *, title: str, element_id: str) -> str:
    """The sparkline as inline SVG markup (escaped): built here rather than in a template
    because the caseload draws fifty of them per page.

    role="img" with a <title> gives screen readers the figures in words.
    """
    parts = [
        f'<svg class="spark" viewBox="{chart.view_box}" width="{chart.width}" '
        f'height="{chart.height}" role="img" aria-labelledby="{_escape(element_id)}" '
        f'focusable="false"><title id="{_escape(element_id)}">{_escape(title)}</title>'
        f'<line class="base" x1="{chart.left:g}" x2="{chart.right:g}" '
        f'y1="{chart.bottom:g}" y2="{chart.bottom:g}"/>'
    ]
    for series in chart.series:
        key = _escape(series.key)
        if series.path:
            parts.append(f'<path class="line {key}" d="{series.path}"/>')
        parts.extend(
            f'<circle class="dot {key}" cx="{p.x:g}" cy="{p.y:g}" r="1.8"/>' for p in series.dots
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg_body(chart: Chart, *, key: str) -> str:
    """The line chart's drawing (gridlines, axes, flag markers and strips, the line and its
    dots) as SVG markup, escaped: the <title> and <desc> that need translating stay in the
    template (tracker/templates/tracker/dashboard/_chart.html). Built here because a year's
    chart is about a thousand elements, which the template language renders slowly."""
    key = _escape(key)
    long_range = chart.days > 120
    parts = []
    for tick in chart.y_ticks:
        parts.append(
            f'<line class="grid" x1="{chart.left:g}" x2="{chart.right:g}" y1="{tick.at:g}"'
            f' y2="{tick.at:g}"/><text class="ylabel" x="{chart.left - 6:g}" y="{tick.at:g}"'
            f' dy="4" text-anchor="end">{_escape(tick.value)}</text>\n'
        )
    for tick in chart.x_ticks:
        label = tick.on.strftime("%Y-%m" if long_range else "%m-%d") if tick.on else ""
        parts.append(
            f'<line class="xtick" x1="{tick.at:g}" x2="{tick.at:g}" y1="{chart.bottom:g}"'
            f' y2="{chart.bottom + 4:g}"/><text class="xlabel" x="{tick.at:g}"'
            f' y="{chart.bottom + 16:g}" text-anchor="middle">{label}</text>\n'
        )
    parts.append(_flag_marks_svg(chart))
    series = chart.series[0] if chart.series else None
    if series is not None:
        if series.path:
            parts.append(f'<path class="line {key}" d="{series.path}"/>')
        parts.extend(
            f'<circle class="dot {key}" cx="{p.x:g}" cy="{p.y:g}" r="2.5"/>' for p in series.dots
        )
    return "".join(parts)


# The last flag marks drawn: (markers, lanes, geometry, markup). The patient page's three charts
# share their markers and lanes (the same tuples, charts.flag_marks) and their geometry, so the
# second and third charts reuse the first one's markup. Checked by identity of the tuples and
# equality of the geometry, so another chart never gets these marks; a per-process memo of one
# request's pure function, holding nothing about who asked.
_last_marks: list[tuple] = [((), (), None, "")]


def _flag_marks_svg(chart: Chart) -> str:
    geometry = (chart.left, chart.top, chart.bottom, chart.day_width)
    markers, lanes, drawn_for, markup = _last_marks[0]
    if markers is chart.markers and lanes is chart.lanes and drawn_for == geometry:
        return markup
    markup = _draw_flag_marks(chart)
    _last_marks[0] = (chart.markers, chart.lanes, geometry, markup)
    return markup


def _draw_flag_marks(chart: Chart) -> str:
    parts = []
    # A line where flagging starts or gets more severe; the days after it are drawn by the
    # strips (a marker without its line would be an empty element, drawing nothing).
    for m in chart.markers:
        if not m.is_onset:
            continue
        parts.append(
            f'<g class="marker sev-{_escape(m.severity)}"><title>{m.on.isoformat()}:'
            f" {_escape(', '.join(m.labels))}</title>"
            f'<line x1="{m.x:g}" x2="{m.x:g}" y1="{chart.top:g}" y2="{chart.bottom:g}"/></g>\n'
        )
    for lane in chart.lanes:
        label = _escape(lane.label)
        # One band per run of consecutive days (a year of daily evidence is a few dozen
        # elements, not hundreds), named by the strip's label.
        bands = "".join(
            f'<rect x="{x:g}" y="{lane.y:g}" width="{width:g}" height="6"/>'
            for x, width, _first, _last in lane.runs(chart.day_width)
        )
        parts.append(
            f'<g class="lane sev-{_escape(lane.severity)}"><text class="lane-label"'
            f' x="{chart.left:g}" y="{lane.y - 2:g}">{label}</text><title>{label}</title>'
            f"{bands}</g>\n"
        )
    return "".join(parts)
