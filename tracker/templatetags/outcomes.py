"""The patient page's outcomes pieces (PSFS, the report form), drawn by their own tags so the
page's view and selector need not know about them."""

from datetime import date, timedelta

from django import template

from tracker.selectors.report import REPORT_DEFAULT_DAYS

register = template.Library()


@register.filter
def report_default_start(today: date) -> date:
    return today - timedelta(days=REPORT_DEFAULT_DAYS - 1)


@register.simple_tag
def outcomes_psfs(profile) -> str:
    return ""  # PSFS section: see issue 13, part 3
