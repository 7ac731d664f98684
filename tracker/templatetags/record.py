"""The patient page's day-by-day record (tracker/selectors/patient_record.py), built in Python
(issue 16): fourteen days of scores, answers and sessions were about a fifth of the page's time
in the template language. Every text is escaped; every word goes through gettext. Times are in
the active time zone (the page's {% timezone %}: the patient's)."""

from collections.abc import Sequence
from html import escape

from django import template
from django.db.models import Field
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from tracker.models import SessionLog
from tracker.selectors.patient_record import RecordDay, answer_labels

register = template.Library()


def _minutes(count: int) -> str:
    return ngettext("%(counter)s minute", "%(counter)s minutes", count) % {"counter": count}


def _note(text: str) -> str:
    return f'<blockquote class="note">“{escape(text)}”</blockquote>' if text else ""


def _session(session: SessionLog, difficulties: dict[str, str]) -> str:
    parts = [f"<strong>{escape(session.exercise.localized('name'))}</strong>"]
    if session.sets:
        parts.append(" · " + escape(gettext("%(sets)s sets") % {"sets": session.sets}))
    if session.reps:
        parts.append(f" × {session.reps}")
    if session.minutes:
        parts.append(" · " + escape(_minutes(session.minutes)))
    if session.pain_during is not None:
        parts.append(f" · {escape(gettext('pain during'))} {session.pain_during}/10")
    if session.difficulty:
        parts.append(" · " + escape(difficulties.get(session.difficulty, session.difficulty)))
    at = timezone.localtime(session.performed_at).strftime("%H:%M")
    parts.append(f' <span class="muted">{at}</span>{_note(session.note)}')
    return "<li>" + "".join(parts) + "</li>"


def _checkin(day: RecordDay, labels: dict[str, str], words: dict[str, str]) -> str:
    c = day.checkin
    assert c is not None
    scores = (
        f"<span>{words['back_pain']} <strong>{c.back_pain}</strong></span>"
        f" <span>{words['leg_pain']} <strong>{c.leg_pain}</strong></span>"
        f" <span>{words['numbness']} <strong>{c.numbness}</strong></span>"
    )
    if c.walking_minutes is not None:
        scores += (
            f" <span>{words['walking']} <strong>{escape(_minutes(c.walking_minutes))}</strong>"
            "</span>"
        )
    if day.revisions:
        changed = ngettext(
            "changed %(counter)s time by the patient",
            "changed %(counter)s times by the patient",
            day.revisions,
        ) % {"counter": day.revisions}
        scores += f' <span class="muted">{escape(changed)}</span>'
    areas = ", ".join(escape(area) for area in day.areas) or words["none"]
    mark = ' <span class="sev">!</span>'
    answers = "".join(
        f'<li class="{"warning" if a.is_warning else ""}">{escape(a.label)}:'
        f" {words['yes'] if a.value else words['no']}{mark if a.is_warning else ''}</li>"
        for a in day.answers_labelled(labels)
    )
    return (
        f'<p class="scores">{scores}</p>\n'
        f'<p class="areas-said">{words["areas"]}: {areas}</p>\n'
        f'<ul class="answers">{answers}</ul>\n{_note(c.note)}'
    )


@register.simple_tag
def record_days_html(days: Sequence[RecordDay]) -> SafeString:
    """`{% record_days_html record.object_list %}`: one <li class="record-day"> per day."""
    # Literal gettext calls, so makemessages finds each text.
    words = {
        "back_pain": escape(gettext("Back pain")),
        "leg_pain": escape(gettext("Leg pain")),
        "numbness": escape(gettext("Numbness")),
        "walking": escape(gettext("Walking")),
        "areas": escape(gettext("Numb areas")),
        "yes": escape(gettext("yes")),
        "no": escape(gettext("no")),
        "no_checkin": escape(gettext("No check-in.")),
    }
    words["none"] = f'<span class="muted">{escape(gettext("none"))}</span>'
    labels = answer_labels()
    difficulty = SessionLog._meta.get_field("difficulty")
    assert isinstance(difficulty, Field)
    difficulties = {str(value): str(label) for value, label in difficulty.flatchoices}
    out = []
    for day in days:
        on = day.on.isoformat()
        weekday = escape(str(WEEKDAYS_ABBR[day.on.weekday()]))
        body = (
            _checkin(day, labels, words)
            if day.checkin is not None
            else f'<p class="muted">{words["no_checkin"]}</p>'
        )
        sessions = (
            '<ul class="sessions">'
            + "\n".join(_session(s, difficulties) for s in day.sessions)
            + "</ul>"
            if day.sessions
            else ""
        )
        out.append(
            f'<li class="record-day">\n<h3><time datetime="{on}">{on} {weekday}</time></h3>\n'
            f"{body}\n{sessions}\n</li>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped or ours
