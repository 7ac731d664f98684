from django import template

from exercises.models import Contraindication
from reminders.languages import is_english, language_suffix

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """`{{ exercise|localized:"name" }}`: the `name_zh` or `name_en` of the active language."""
    if hasattr(obj, "localized"):
        return obj.localized(field)
    suffix = language_suffix()
    return getattr(obj, f"{field}_{suffix}") or getattr(obj, f"{field}_zh")


@register.filter
def other_language(obj, field: str) -> str:
    """The same text in the other language, shown small for bilingual readers."""
    return getattr(obj, f"{field}_{'zh' if is_english() else 'en'}")


@register.filter
def contraindication_labels(codes) -> list[str]:
    return [str(Contraindication(code).label) for code in codes or []]
