"""The progress report as a PDF, rendered server-side by WeasyPrint from an HTML template.

The charts are the pages' own SVG (tracker/templates/tracker/dashboard/_chart.html), drawn as
vector paths in the PDF; Chinese glyphs come from the CJK font the report's CSS names
(fonts-wqy-microhei, installed with WeasyPrint's Debian libraries) and are embedded as subsets.
"""

import re

from django.template.loader import render_to_string
from django.utils import translation

from reminders.languages import is_english
from tracker.patient_calendar import local_today
from tracker.selectors.report import CAVEAT, ProgressReport

# The dashboard styles its charts from dashboard.css; WeasyPrint's SVG renderer reads only
# styles inside each <svg>, so the report puts the same colours there (colours and severities as
# on the page: the lines' key and the markers' severity classes).
CHART_CSS = (
    ".line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; } "
    ".line.back_pain { stroke: #2f6b3b; } .dot.back_pain { fill: #2f6b3b; } "
    ".line.leg_pain { stroke: #0b5cad; } .dot.leg_pain { fill: #0b5cad; } "
    ".line.numbness { stroke: #b4235a; } .dot.numbness { fill: #b4235a; } "
    ".line.psfs { stroke: #5a3e9b; } .dot.psfs { fill: #5a3e9b; } "
    ".grid { stroke: #eceff2; } .xtick { stroke: #9aa4ad; } "
    "text { font-size: 11px; fill: #5b6670; } "
    ".marker line { stroke-width: 1.5; stroke-dasharray: 3 3; stroke: #4a5560; } "
    ".marker.sev-urgent line { stroke: #a4161a; stroke-dasharray: none; } "
    ".marker.sev-high line { stroke: #c2410c; } .marker.sev-medium line { stroke: #a16207; } "
    ".lane rect { fill: #4a5560; } .lane.sev-urgent rect { fill: #a4161a; } "
    ".lane.sev-high rect { fill: #c2410c; } .lane.sev-medium rect { fill: #a16207; } "
    ".lane-label { font-size: 10px; } "
)
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")


def _style_charts(html: str) -> str:
    return _SVG_OPEN.sub(lambda m: f"{m.group(1)}<style>{CHART_CSS}</style>", html)


def report_html(*, report: ProgressReport) -> str:
    with translation.override(report.language):
        ratio = report.adherence["ratio"]
        html = render_to_string(
            "tracker/report/progress.html",
            {
                "r": report,
                "is_english": is_english(report.language),
                "adherence_percent": round(ratio * 100) if ratio is not None else None,
                "caveat": str(CAVEAT),
                "produced_on": local_today(report.profile),
            },
        )
    return _style_charts(html)


def report_pdf(*, report: ProgressReport) -> bytes:
    # Imported here: WeasyPrint loads pango through cffi, which only the report needs.
    from weasyprint import HTML

    pdf: bytes = HTML(string=report_html(report=report)).write_pdf()
    return pdf
