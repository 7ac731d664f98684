"""Tags for the patient's pages (issue 16): the parts repeated per day or per item, rendered in
Python to the markup the templates wrote.

Progress: `|date:"Y-m-d"` is the ISO date, `|date:"j"` the day of the month, numbers as the
template prints them; floatformat is the filter itself. Today: `{% today_items rows %}` is
`tracker/app/_item.html` once per item (the builder's preview still includes that template; a
test renders both and compares them).
"""

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django import template
from django.core.signals import setting_changed
from django.template.defaultfilters import floatformat
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, timezone
from django.utils.autoreload import file_changed
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from exercises.templatetags.article_sources import source_titles
from tracker.models import Difficulty
from tracker.selectors.patient_app.today import TodayItem
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


@register.simple_tag(takes_context=True)
def today_items(context: template.Context, rows: list) -> SafeString:
    """Today's <li> per (entry, amounts, errors) row, as `{% include "tracker/app/_item.html" %}`
    in a loop over `rows` wrote them."""
    token = context.get("csrf_token")
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
        if token and token != "NOTPROVIDED"  # noqa: S105 - {% csrf_token %}'s own marker
        else ""
    )
    return SafeString(
        "".join(
            item_html(entry, values, errors, csrf=csrf, first=i == 0)
            for i, (entry, values, errors) in enumerate(rows)
        )
    )


# --- Progress's charts ---------------------------------------------------------------------------


def _v(value: Any) -> str:
    """`{{ value }}`: localized, escaped."""
    return conditional_escape(localize(value))


@register.simple_tag
def progress_chart(key: str, label: str, chart: Any) -> SafeString:
    """`{% include "tracker/app/_chart.html" %}`: one score's line chart with its description."""
    series = chart.series[0]
    key, label = escape(key), escape(label)
    latest = series.latest
    if latest:
        caption = _("latest %(value)s (%(on)s)") % {
            "value": _v(latest.value),
            "on": _v(dateformat.format(latest.on, "m-d")),
        }
    else:
        caption = escape(_("no check-ins yet"))
    if series.count:
        desc = ngettext(
            "Last %(days)s days, %(counter)s check-in: first %(first)s, latest %(latest)s,"
            " lowest %(low)s, highest %(high)s.",
            "Last %(days)s days, %(counter)s check-ins: first %(first)s, latest %(latest)s,"
            " lowest %(low)s, highest %(high)s.",
            series.count,
        ) % {
            "days": _v(chart.days),
            "counter": _v(series.count),
            "first": _v(series.first),
            "latest": _v(latest.value),
            "low": _v(series.low),
            "high": _v(series.high),
        }
    else:
        desc = _("No check-ins in the last %(days)s days.") % {"days": _v(chart.days)}
    left, right, bottom = _v(chart.left), _v(chart.right), _v(chart.bottom)
    out = [
        f'<figure class="card chart" data-chart="{key}" aria-labelledby="chart-{key}-caption">\n'
        f'<figcaption id="chart-{key}-caption"><strong>{label}</strong>'
        f' <span class="muted">{caption}</span></figcaption>\n'
        f'<svg viewBox="{escape(chart.view_box)}" role="img"'
        f' aria-labelledby="chart-{key}-title chart-{key}-desc" focusable="false">\n'
        f'<title id="chart-{key}-title">{label} (0–10)</title>\n'
        f'<desc id="chart-{key}-desc">{desc}</desc>\n'
    ]
    text_x = _v(int(chart.left) - 6)
    for tick in chart.y_ticks:
        at = _v(tick.at)
        out.append(
            f'<line class="grid" x1="{left}" x2="{right}" y1="{at}" y2="{at}"/>'
            f'<text x="{text_x}" y="{at}" dy="4" text-anchor="end">{_v(tick.value)}</text>\n'
        )
    tick_bottom, label_y = _v(int(chart.bottom) + 4), _v(int(chart.bottom) + 18)
    for tick in chart.x_ticks:
        at = _v(tick.at)
        out.append(
            f'<line class="xtick" x1="{at}" x2="{at}" y1="{bottom}" y2="{tick_bottom}"/>'
            f'<text x="{at}" y="{label_y}" text-anchor="middle">'
            f"{_v(dateformat.format(tick.on, 'm-d'))}</text>\n"
        )
    if series.path:
        out.append(f'<path class="line" d="{escape(series.path)}"/>')
    out.extend(f'<circle class="dot" cx="{_v(p.x)}" cy="{_v(p.y)}" r="3"/>' for p in series.dots)
    out.append("\n</svg>\n</figure>\n")
    return SafeString("".join(out))


# --- the guides' list ----------------------------------------------------------------------------


@register.simple_tag
def guide_links(entries: list) -> SafeString:
    """`{% include "tracker/app/_guide_link.html" %}` per entry of the guides' list."""
    out = []
    for entry in entries:
        query = f"?item={escape(entry.item.public_id)}" if entry.item else ""
        out.append(
            f'<li><a class="card guide-link" href="{_url("app:guide-detail", entry.exercise.key)}'
            f'{query}">\n  <img src="{_static(entry.guide.first_picture.static_path)}" alt=""'
            ' width="96" height="60" loading="lazy" decoding="async">\n'
            f"  <span><strong>{escape(entry.name)}</strong>"
            f'<span class="muted">{escape(entry.dosage_text)}</span></span>\n</a></li>\n'
        )
    return SafeString("".join(out))


# --- the check-in's 0-10 scales -----------------------------------------------------------------


@register.simple_tag
def scale_radios(field: Any, low: str, high: str) -> SafeString:
    """A scale's eleven radio buttons, as `{% for radio in field %}` in checkin.html wrote them
    (the choices' ids, values and selection from the form's own widget)."""
    name = escape(field.html_name)
    ends = {0: escape(low), 10: escape(high)}
    out = []
    for radio in field.subwidgets:
        data = radio.data
        id_ = escape(radio.id_for_label)
        value = data["value"]
        checked = " checked" if data["selected"] else ""
        end = f'<span class="visually-hidden"> – {ends[value]}</span>' if value in ends else ""
        out.append(
            f'<label class="score" for="{id_}"><input type="radio" name="{name}"'
            f' value="{escape(value)}" id="{id_}" required{checked}>'
            f"<span>{escape(radio.choice_label)}{end}</span></label>"
        )
    return SafeString("".join(out))


# --- Today's items -------------------------------------------------------------------------------

# What every item of one language shares (labels, URLs, the unselected options), per process; as
# `{% samefor %}`'s, dropped when templates reload in development or a test overrides a setting.
_fixed: dict[tuple, dict[str, str]] = {}
_UUID0 = str(UUID(int=0))


def _forget(**_kwargs: object) -> None:
    _fixed.clear()


file_changed.connect(_forget, dispatch_uid="app_pages_forget")
setting_changed.connect(_forget, dispatch_uid="app_pages_forget_settings")


def _options(choices: list[tuple[str, str]], chosen: Any) -> str:
    return "".join(
        f'<option value="{escape(value)}"{" selected" if chosen(value) else ""}>{escape(label)}'
        "</option>"
        for value, label in choices
    )


def _strings() -> dict[str, str]:
    key = (get_language(), get_script_prefix())
    fixed = _fixed.get(key)
    if fixed is None:
        words = {
            "from": "From:",
            "done_today": "Done today",
            "how": "How to do it",
            "timer": "Start with a timer",
            "start": "Start",
            "undo": "Undo the last one",
            "done": "Done",
            "amounts": "Did something different? Change the amounts",
            "sets": "Sets",
            "times": "Times",
            "minutes": "Minutes",
            "pain": "Pain while doing it (0–10)",
            "feel": "How did it feel?",
        }
        fixed = {name: escape(_(text)) for name, text in words.items()}
        fixed["picto"] = escape(static("tracker/app/pictograms.svg"))
        fixed["log_url"] = escape(reverse("app:session-log"))
        fixed["undo_url"] = reverse("app:session-undo", args=[_UUID0])
        fixed["pain_options"] = _options(_SCORES, lambda value: False)
        fixed["difficulty_options"] = _options(_difficulties(), lambda value: False)
        _fixed[key] = fixed
    return fixed


_SCORES = [(str(n), str(n)) for n in range(11)]


def _difficulties() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Difficulty.choices]


def _url(name: str, key: str) -> str:
    cache_key = (name, key, get_script_prefix())
    url = _fixed.get(cache_key)
    if url is None:
        url = _fixed[cache_key] = {"url": escape(reverse(name, args=[key]))}
    return url["url"]


def _static(path: str) -> str:
    cache_key = ("static", path)
    url = _fixed.get(cache_key)
    if url is None:
        url = _fixed[cache_key] = {"url": escape(static(path))}
    return url["url"]


def _number(value: Any) -> str:
    """`{{ value|default_if_none:'' }}`."""
    return "" if value is None else escape(value)


def item_html(entry: TodayItem, values: dict, errors: Mapping, *, csrf: str, first: bool) -> str:
    """tracker/app/_item.html for one entry."""
    t = _strings()
    item = entry.item
    id_ = escape(item.public_id)
    name = escape(entry.name)
    dosage = entry.dosage
    out = [
        f'<li class="card item{" is-done" if entry.is_done else ""}'
        f'{" has-guide" if entry.guide_picture else ""}" id="item-{id_}" data-item="{id_}"'
        f' data-per-day="{entry.per_day}" data-done-today="{entry.done_today}"'
    ]
    if entry.sessions_today:
        logged = timezone.localtime(entry.sessions_today[0][1]).isoformat()
        out.append(f' data-last-logged="{escape(logged)}"')
    out.append(">\n  ")
    if entry.guide_picture:
        lazy = "" if first else ' loading="lazy"'
        out.append(
            f'<img class="guide-pic" src="{_static(entry.guide_picture)}" alt="" width="96"'
            f' height="60" decoding="async"{lazy}>'
        )
    else:
        out.append(
            '<svg class="picto" aria-hidden="true" focusable="false">'
            f'<use href="{t["picto"]}#{escape(entry.pictogram)}"/></svg>'
        )
    out.append(
        f"\n  <div>\n    <h3>{name}</h3>\n"
        f'    <p class="dosage">{escape(entry.dosage_text)}</p>\n    '
    )
    if entry.note:
        out.append(f'<p class="muted">{escape(entry.note)}</p>')
    out.append("\n    ")
    cited = source_titles(item.exercise.sources)
    if cited:
        links = "; ".join(f'<a href="{escape(url)}">{escape(title)}</a>' for title, url in cited)
        out.append(f'<p class="muted source">{t["from"]} {links}</p>')
    out.append("\n    ")
    if item.days_per_week < 7:
        text = _("%(done)s of %(days)s days this week") % {
            "done": entry.days_this_week,
            "days": item.days_per_week,
        }
        out.append(f'<p class="muted">{text}</p>')
    out.append('\n    <p class="status" data-status aria-live="polite">')
    if entry.is_done:
        out.append(f"✓ {t['done_today']}")
        if entry.done_today > 1:
            out.append(f" ({entry.done_today}×)")
    elif entry.done_today:
        out.append(
            _("%(done)s of %(times)s times today")
            % {"done": entry.done_today, "times": entry.per_day}
        )
    out.append("</p>\n  </div>\n  ")
    if entry.guide_picture:
        key = item.exercise.key
        out.append(
            '<div class="item-guide">\n    <a class="button secondary"'
            f' href="{_url("app:guide-detail", key)}?item={id_}">{t["how"]}</a>\n'
            f'    <a class="button secondary" href="{_url("app:guide-play", key)}?item={id_}"'
            f' aria-label="{t["timer"]}: {name}">▶ {t["start"]}</a>\n  </div>'
        )
    undo = (
        escape(t["undo_url"].replace(_UUID0, str(entry.sessions_today[0][0])))
        if entry.sessions_today
        else ""
    )
    hidden = "" if entry.sessions_today else " hidden"
    out.append(
        f'\n  <form method="post" action="{undo}" class="undo" data-undo-form{hidden}>{csrf}\n'
        f'    <button type="submit" class="secondary" aria-label="{t["undo"]}: {name}">'
        f"↶ {t['undo']}</button>\n  </form>\n"
        f'  <form method="post" action="{t["log_url"]}" data-session-form data-label="{name}">'
        f'{csrf}\n    <input type="hidden" name="item" value="{id_}">\n    '
    )
    if errors:
        messages = "".join(
            f"<p>{escape(message)}</p>"
            for field_errors in errors.values()
            for message in field_errors
        )
        out.append(f'<div class="errorlist" role="alert">{messages}</div>')
    out.append(
        f'\n    <button type="submit" class="done" aria-label="{t["done"]}: {name}">'
        f'<span aria-hidden="true">✓</span> {t["done"]}</button>\n'
        f'    <details class="amounts"{" open" if errors else ""}>\n'
        f"      <summary>{t['amounts']}</summary>\n"
        '      <div class="fields">\n        '
    )
    for field, label, maximum, shown in (
        ("sets", t["sets"], 1000, dosage.sets),
        ("reps", t["times"], 10000, dosage.reps),
        ("minutes", t["minutes"], 1440, dosage.minutes or (not dosage.sets and not dosage.reps)),
    ):
        if shown:
            out.append(
                f'<div class="field"><label for="{field}-{id_}">{label}</label><input type="number"'
                f' min="0" max="{maximum}" inputmode="numeric" name="{field}" id="{field}-{id_}"'
                f' value="{_number(values.get(field))}"></div>'
            )
        out.append("\n        ")
    pain = values.get("pain_during")
    difficulty = values.get("difficulty")
    pain_options = (
        t["pain_options"] if pain is None else _options(_SCORES, lambda value: str(pain) == value)
    )
    difficulty_options = (
        t["difficulty_options"]
        if difficulty is None
        else _options(_difficulties(), lambda value: difficulty == value)
    )
    out.append(
        f'<div class="field"><label for="pain-{id_}">{t["pain"]}</label><select name="pain_during"'
        f' id="pain-{id_}"><option value="">–</option>{pain_options}</select></div>\n'
        f'        <div class="field"><label for="difficulty-{id_}">{t["feel"]}</label>'
        f'<select name="difficulty" id="difficulty-{id_}"><option value="">–</option>'
        f"{difficulty_options}</select></div>\n      </div>\n    </details>\n  </form>\n</li>\n"
    )
    return "".join(out)
