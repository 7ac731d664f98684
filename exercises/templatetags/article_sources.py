"""`{% load article_sources %}`: cite an article by its title, linked to its page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from exercises.sources import sources_for_files

register = template.Library()


@register.filter
def source_titles(file_names) -> list:
    """[(title, url)] for seed file names: `{% for title, url in x.sources|source_titles %}`."""
    return [
        (source.title(), reverse("exercises:source-detail", args=[source.key]))
        for source in sources_for_files(file_names)
    ]


@register.simple_tag
def source_links(file_names, separator: str = "; "):
    """The titles of the articles behind `file_names`, each a link to its page."""
    return format_html_join(
        format_html("{}", separator),
        '<a href="{}">{}</a>',
        ((url, title) for title, url in source_titles(file_names)),
    )
