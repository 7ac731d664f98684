"""The flag cards of the therapist's patient page, drawn in Python (issue 16): the same markup as
tracker/dashboard/_flag.html, byte for byte (tests/tracker/dashboard/test_flag_card_markup.py
renders both for flags in every state and compares), at a fraction of the template's CPU: a page
has a card per flag, and including the template once per card cost about 1 ms each."""

from datetime import date, datetime

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exercises.templatetags.article_sources import source_links
from tracker.selectors.flag_answers import FlagAnswers
from tracker.selectors.flag_cards import FlagEntry

register = template.Library()


def _iso(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _at(value: datetime) -> str:
    """As the template's |date:"Y-m-d H:i", in the zone the page is drawn in."""
    return localtime(value).strftime("%Y-%m-%d %H:%M")


def _time(on: str) -> str:
    return f'<time datetime="{on}">{on}</time>'  # an ISO date: nothing to escape


def _answers(answers: FlagAnswers | None) -> str:
    if not answers:
        return ""
    parts = []
    for a in answers.answers:
        mark = ' <span class="sev" aria-hidden="true">!</span>' if a.is_warning else ""
        parts.append(
            f'<span class="{"warning" if a.is_warning else ""}">{escape(a.label)}: '
            f"<strong>{escape(a.value)}</strong>{mark}</span>"
        )
    return (
        f'<dt>{escape(_("What the patient answered"))}</dt><dd class="flag-answers">'
        f"{_time(answers.on.isoformat())}: {'; '.join(parts)}</dd>"
    )


def _changes(entry: FlagEntry) -> str:
    if not entry.changes:
        return ""
    out = []
    for change in entry.changes:
        said = _("Answer changed by the patient at %(at)s (check-in of %(on)s):") % {
            "at": escape(_at(change.at)),
            "on": escape(change.on.strftime("%Y-%m-%d")),
        }
        answers = "; ".join(
            f"{escape(name)}: <s>{escape(before)}</s> → <strong>{escape(after)}</strong>"
            for name, before, after in change.answers
        )
        out.append(f"<p>{said} {answers}</p>")
    note = escape(
        _(
            "The flag stays open: you were told of it. Resolve it once you have checked with the patient."  # noqa: E501 - the msgid
        )
    )
    return (
        f'<dt>{escape(_("Answer changed"))}</dt><dd class="changed">{"".join(out)}'
        f'<p class="muted">{note}</p></dd>'
    )


def _evidence(entry: FlagEntry) -> str:
    count = entry.evidence_count
    text = ngettext("%(counter)s day", "%(counter)s days", count) % {"counter": count}
    if not entry.evidence_ranges:
        return text
    every = entry.evidence_all
    runs = ", ".join(
        _time(first) + (f"–{_time(last)}" if last != first else "")
        for first, last in entry.evidence_shown
    )
    details = ""
    if every:
        summary = _("All %(count)s periods since %(first)s") % {
            "count": len(entry.evidence_ranges),
            "first": escape(_iso(entry.flag.opened_on)),
        }
        details = (
            f'<details class="evidence-all"><summary>{summary}</summary>'
            f"<p>{escape(every)}</p></details>"
        )
    return f"{text}:\n      {'… ' if every else ''}{runs}\n      {details}"


def _by(when: datetime | None, who: object, note: str, label: str) -> str:
    if not when:
        return ""
    name = ""
    if who:
        name = f" · {escape(who.get_full_name() or who.username)}"  # type: ignore[attr-defined]
    said = f" · “{escape(note)}”" if note else ""
    return f"<dt>{escape(label)}</dt><dd>{_at(when)}{name}{said}</dd>"


def _send_box(id_: str) -> str:
    label = escape(_("Send this note to the patient (as a message)"))
    return (
        f'<label class="check" for="{id_}"><input type="checkbox" id="{id_}" '
        f'name="send_to_patient" value="1"> {label}</label>'
    )


def _actions(entry: FlagEntry, csrf: str, range_days: object, max_length: object) -> str:
    flag = entry.flag
    pid = str(flag.public_id)
    hidden = f'<input type="hidden" name="range" value="{escape(range_days)}">'
    out = ['\n  <div class="flag-actions">\n    ']
    if entry.can_acknowledge:
        url = escape(reverse("dashboard:flag-acknowledge", args=[flag.public_id]))
        note = escape(_("Acknowledgement note (optional): what you will do"))
        out.append(
            f'\n    <form method="post" action="{url}">{csrf}\n      {hidden}\n'
            f'      <label for="ack-{pid}">{note}</label>\n'
            f'      <textarea id="ack-{pid}" name="note" rows="2" maxlength="{escape(max_length)}">'
            f"</textarea>\n      {_send_box('ack-send-' + flag.public_id.hex)}\n"
            f'      <button type="submit">{escape(_("Acknowledge"))}</button>\n    </form>\n    '
        )
    url = escape(reverse("dashboard:flag-resolve", args=[flag.public_id]))
    out.append(f'\n    <form method="post" action="{url}">{csrf}\n      {hidden}\n      ')
    if flag.is_urgent:
        note = escape(_("Resolution note (required): what was done about this emergency"))
        confirm = escape(_("I confirm this urgent flag has been dealt with"))
        out.append(
            f'\n      <label for="resolve-{pid}">{note}</label>\n'
            f'      <textarea id="resolve-{pid}" name="note" rows="2" '
            f'maxlength="{escape(max_length)}" required></textarea>\n'
            f'      <label class="check" for="confirm-{pid}"><input type="checkbox" '
            f'id="confirm-{pid}" name="confirm_urgent" value="1" required> {confirm}</label>'
            "\n      "
        )
    else:
        note = escape(_("Resolution note (optional): the outcome"))
        out.append(
            f'\n      <label for="resolve-{pid}">{note}</label>\n'
            f'      <textarea id="resolve-{pid}" name="note" rows="2" '
            f'maxlength="{escape(max_length)}"></textarea>\n      '
        )
    out.append(
        f"\n      {_send_box('resolve-send-' + flag.public_id.hex)}\n"
        f'      <button type="submit" class="primary">{escape(_("Resolve"))}</button>\n'
        "    </form>\n  </div>\n  "
    )
    return "".join(out)


def flag_card(
    entry: FlagEntry,
    answers: FlagAnswers | None,
    *,
    can_act: bool,
    csrf: str,
    range_days: object,
    max_length: object,
) -> str:
    """One card; every value is escaped here (`csrf` is the rendered hidden input)."""
    flag = entry.flag
    pid = str(flag.public_id)
    last = _iso(flag.last_evidence_on)
    stale = ""
    if entry.is_stale:
        since = _("no new evidence since %(last)s") % {"last": escape(last)}
        stale = f" · <em>{since}</em>"
    withdrawn = ""
    if flag.withdrawn_at:
        told = escape(_("the patient corrected the answer before anyone was told"))
        withdrawn = f"<dt>{escape(_('Withdrawn'))}</dt><dd>{_at(flag.withdrawn_at)} · {told}</dd>"
    sources = (
        source_links(flag.sources) if flag.sources else escape(_("No article: a monitoring rule"))
    )
    actions = _actions(entry, csrf, range_days, max_length) if can_act and entry.can_resolve else ""
    lines = [
        f'<article class="flag-card sev-{escape(flag.severity)} status-{escape(flag.status)}" '
        f'id="flag-{pid}" aria-labelledby="flag-{pid}-heading">',
        f'  <h3 id="flag-{pid}-heading"><span class="sev">{escape(flag.severity_label)}</span> '  # type: ignore[attr-defined]
        f"{escape(flag.rule_label)} "  # type: ignore[attr-defined]
        f'<span class="status">{escape(flag.status_label)}</span></h3>',  # type: ignore[attr-defined]
        f'  <p class="explanation">{escape(entry.explanation)}</p>',
        '  <dl class="facts">',
        f"    <dt>{escape(_('Opened'))}</dt><dd>{_time(_iso(flag.opened_on))} "
        f'<span class="muted">{escape(_("(first evidence)"))}</span></dd>',
        f"    <dt>{escape(_('Latest evidence'))}</dt><dd>{_time(last)}{stale}</dd>",
        f"    {_answers(answers)}",
        f"    {_changes(entry)}",
        f"    {withdrawn}",
        f"    <dt>{escape(_('Evidence'))}</dt>",
        f"    <dd>{_evidence(entry)}</dd>",
        f"    <dt>{escape(_('Sources'))}</dt>",
        f"    <dd>{sources}</dd>",
        "    "
        + _by(
            flag.acknowledged_at, flag.acknowledged_by, flag.acknowledged_note, _("Acknowledged")
        ),
        "    " + _by(flag.resolved_at, flag.resolved_by, flag.resolved_note, _("Resolved")),
        "  </dl>",
        f"  {actions}",
        "</article>",
    ]
    return "\n".join(lines) + "\n"


@register.simple_tag(takes_context=True)
def flag_cards_html(context: template.Context, cards: list) -> SafeString:
    """Every card of the page, in order (the page's "No flags." when there are none is the
    template's)."""
    token = context.get("csrf_token")
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"  # noqa: S105 - as {% csrf_token %} tells it apart
        else ""
    )
    page = context.get("p")
    range_days = getattr(page, "range_days", "")
    can_act = bool(context.get("can_act"))
    max_length = context.get("note_max_length", "")
    return mark_safe(  # noqa: S308 - every value above is escaped or ours
        "".join(
            flag_card(
                entry,
                answers,
                can_act=can_act,
                csrf=str(csrf),
                range_days=range_days,
                max_length=max_length,
            )
            for entry, answers in cards
        )
    )
