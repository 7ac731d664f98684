from django.utils import translation

from reminders.languages import is_english, language_suffix


def test_english_is_any_english_code_and_everything_else_reads_as_chinese():
    assert is_english("en") and is_english("en-gb") and is_english("EN")
    assert not is_english("zh-hans") and not is_english("fr")
    assert language_suffix("en-us") == "en"
    assert language_suffix("zh-hant") == "zh"


def test_without_a_code_the_active_language_decides():
    with translation.override("en"):
        assert is_english() and language_suffix() == "en"
    with translation.override("zh-hans"):
        assert not is_english() and language_suffix() == "zh"
