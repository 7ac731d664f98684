"""The caseload's table rows, built in Python (issue 16): fifty rows of names, flag chips,
sparklines and figures cost the template language about half the page's time; the same markup
built here costs a tenth of that. Every text is escaped; every word goes through gettext."""

from collections.abc import Mapping, Sequence
from html import escape
from typing import cast
from uuid import UUID

from django import forms, template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from tracker.selectors.caseload_rows import CaseloadRow, FlagChip
from tracker.templatetags.dashboard import sparkline_markup

register = template.Library()

# A patient's URLs are reversed once a page, for this id, and the row's id put in its place.
_ANY_ID = UUID(int=0)


def _url_of(name: str) -> tuple[str, str]:
    """The URL `name` (taking a patient's public id) split around the id."""
    before, _, after = reverse(name, args=[_ANY_ID]).partition(str(_ANY_ID))
    return before, after


def _chip(chip: FlagChip, acknowledged: str) -> str:
    ack = f' <span class="ack">({acknowledged})</span>' if chip.is_acknowledged else ""
    changed = (
        f' · <strong class="changed">{escape(chip.answer_changed_at)}</strong>'
        if chip.answer_changed_at
        else ""
    )
    stale = " is-stale" if chip.is_stale else ""
    return (
        f'<li class="flag-chip sev-{escape(chip.severity)}"><span class="sev">'
        f"{escape(chip.severity_label)}</span> {escape(chip.rule_label)}{ack}\n"
        f'<span class="flag-dates{stale}">{escape(chip.dates)}{changed}</span></li>'
    )


def _unread(count: int, patient_id: str, url: tuple[str, str], words: dict[int, str]) -> str:
    if not count:
        return ""
    if count not in words:
        words[count] = escape(ngettext("unread message", "unread messages", count))
    return (
        f'\n<a class="sub unread-messages" href="{url[0]}{patient_id}{url[1]}">'
        f'<span class="badge">{count}</span> {words[count]}</a>'
    )


@register.simple_tag
def caseload_rows_html(
    rows: Sequence[CaseloadRow], unread: Mapping[int, int] | None, show_clinics: bool
) -> SafeString:
    """`{% caseload_rows_html rows unread_messages show_clinics %}`: one <tr> per row."""
    labels = {
        "flags": escape(gettext("Open flags")),
        "spark": escape(gettext("Leg pain and numbness, 30 days")),
        "sessions": escape(gettext("Sessions, last 7 days")),
        "days": escape(gettext("Days with data, last 30")),
        "last": escape(gettext("Last check-in")),
    }
    acknowledged = escape(gettext("acknowledged"))
    none = f'<span class="muted">{escape(gettext("None"))}</span>'
    no_programme = f'<span class="muted">{escape(gettext("No programme"))}</span>'
    never = f'<span class="muted">{escape(gettext("Never"))}</span>'
    detail_url, messages_url = (
        _url_of("dashboard:patient-detail"),
        _url_of("dashboard:patient-messages"),
    )
    unread_words: dict[int, str] = {}
    titles: dict[int, str] = {}
    out = []
    for row in rows:
        profile = row.profile
        public_id = profile.user.public_id
        if row.has_urgent:
            css = "is-urgent"
        elif row.worst_severity:
            css = f"sev-row-{escape(row.worst_severity)}"
        else:
            css = ""
        subs = _unread(
            (unread or {}).get(profile.user_id, 0), str(public_id), messages_url, unread_words
        )
        if row.programme_name:
            subs += f'\n<span class="sub">{escape(row.programme_name)}</span>'
        if show_clinics and profile.clinic is not None:
            subs += f'\n<span class="sub">{escape(profile.clinic.name)}</span>'
        flags = (
            '<ul class="flag-list">'
            + "\n".join(_chip(chip, acknowledged) for chip in row.chips)
            + "</ul>"
            if row.chips
            else none
        )
        if row.adherence_percent is not None:
            sessions = (
                f"{row.done_last_7} / {row.prescribed_last_7}"
                f' <span class="muted">({row.adherence_percent} %)</span>'
            )
        else:
            sessions = no_programme
        last = row.last_checkin_on.isoformat() if row.last_checkin_on else never
        url = f"{detail_url[0]}{public_id}{detail_url[1]}"
        out.append(
            f'<tr class="{css}">\n<th scope="row" class="name">\n'
            f'<a href="{url}">{escape(profile.display_name)}</a>{subs}\n</th>\n'
            f'<td data-label="{labels["flags"]}">{flags}</td>\n'
            f'<td data-label="{labels["spark"]}">'
            f"{sparkline_markup(row.sparkline, f'spark-{public_id.hex}', titles)}</td>\n"
            f'<td data-label="{labels["sessions"]}">{sessions}</td>\n'
            f'<td data-label="{labels["days"]}">{row.days_with_data} / 30</td>\n'
            f'<td data-label="{labels["last"]}">{last}</td>\n</tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped or ours


# The filter form's widgets, written out: Django's widget templates cost about a millisecond a
# page for a checkbox and two selects. The same markup as theirs; a field with errors (an
# unknown clinic, say) is left to Django, for its aria-invalid and aria-describedby.
@register.simple_tag
def filter_select(form: forms.Form, name: str) -> SafeString:
    """`{% filter_select form "programme" %}`: the field's <select>, its value selected."""
    bound = form[name]
    if bound.errors:
        return mark_safe(str(bound))  # noqa: S308 - Django's own rendering
    value = bound.value()
    values = {"" if v is None else str(v) for v in (value if isinstance(value, list) else [value])}
    field = bound.field
    assert isinstance(field, forms.ChoiceField)
    options, has_selected = [], False
    # CaseloadFilterForm sets its choices as a list of (value, label).
    for choice, label in cast("list[tuple[object, object]]", field.choices):
        selected = not has_selected and str(choice) in values
        has_selected = has_selected or selected
        mark = " selected" if selected else ""
        options.append(
            f'\n  <option value="{conditional_escape(str(choice))}"{mark}>'
            f"{conditional_escape(str(label))}</option>\n"
        )
    return mark_safe(  # noqa: S308 - the values and labels are escaped
        f'<select name="{conditional_escape(bound.html_name)}" id="{bound.auto_id}">'
        f"{''.join(options)}\n</select>"
    )


@register.simple_tag
def filter_checkbox(form: forms.Form, name: str) -> SafeString:
    """`{% filter_checkbox form "flagged" %}`: the field's checkbox, ticked when it is on."""
    bound = form[name]
    widget = bound.field.widget
    if bound.errors or not isinstance(widget, forms.CheckboxInput):
        return mark_safe(str(bound))  # noqa: S308 - Django's own rendering
    checked = " checked" if widget.check_test(bound.value()) else ""
    return mark_safe(  # noqa: S308 - a field name and our id
        f'<input type="checkbox" name="{conditional_escape(bound.html_name)}"'
        f' id="{bound.auto_id}"{checked}>'
    )
