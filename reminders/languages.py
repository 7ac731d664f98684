"""Which of the product's two languages a language code names: English, or else Chinese.

Chinese is the default (the articles' and most patients' language): any code that is not
English, or none at all, reads as Chinese. The lowest layer owns it, so reminders, the catalogue
and tracker pick a language the same way.
"""

from django.utils.translation import get_language


def is_english(language: str | None = None) -> bool:
    """`language`, or the active one when none is given, is English ("en", "en-gb", …)."""
    return (language or get_language() or "").lower().startswith("en")


def language_suffix(language: str | None = None) -> str:
    """The suffix of the bilingual fields (`name_en`, `name_zh`) to read for `language`."""
    return "en" if is_english(language) else "zh"


def language_code(language: str | None = None) -> str:
    """The product's language code (`translation.override` takes it) that `language` names."""
    return "en" if is_english(language) else "zh-hans"
