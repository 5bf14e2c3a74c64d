"""The newsletter's language at render time (``digest.render.i18n``): the gettext
catalogues cover every fixed word of every template, dates and text direction follow
the language, and a missing word falls back to English."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from digest.config import Settings
from digest.render import environment
from digest.render.i18n import (
    LOCALE_DIR,
    long_date,
    missing_words,
    read_catalogue,
    shipped_languages,
    short_date,
    text_direction,
    translations,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
VIEW = ROOT / "digest" / "render" / "view.py"
TRANSLATED = [lang for lang in shipped_languages() if lang != "en"]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _ids(message: str | tuple[str, ...]) -> tuple[str, ...]:
    return message if isinstance(message, tuple) else (message,)


def words_in_use() -> set[str]:
    """Every msgid marked in templates/**.j2 (the shipped themes included, so a new
    theme's words are caught) and in the view's Python, extracted from the sources
    as they are now."""
    env = environment(TEMPLATES)
    words: set[str] = set()
    for path in TEMPLATES.rglob("*.j2"):
        for _line, _fn, message in env.extract_translations(path.read_text(encoding="utf-8")):
            words.update(_ids(message))
    for _line, message, _comments, _context in extract_from_file("python", VIEW):
        words.update(_ids(message))
    return {word for word in words if word}


def test_the_shipped_languages() -> None:
    assert shipped_languages() == ["en", "ar", "de", "es", "fr"]


def test_the_catalogue_template_holds_every_marked_word() -> None:
    """digest.pot is current: re-extract (README, "Languages") after marking words."""
    pot = {word for m in read_catalogue(LOCALE_DIR / "digest.pot") if m.id for word in _ids(m.id)}
    assert sorted(words_in_use() - pot) == [], "run pybabel extract (see README)"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalogue_translates_every_marked_word(language: str) -> None:
    assert missing_words(language, words_in_use()) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language: str) -> None:
    """A translation may not invent a placeholder (the render would fail); only a
    plural form for one or two may leave out the number ("دقيقتان")."""
    catalogue = read_catalogue(LOCALE_DIR / language / "LC_MESSAGES" / "digest.po")
    for message in catalogue:
        if not message.id:
            continue
        wanted = set(_PLACEHOLDER.findall(_ids(message.id)[0]))
        for string in _ids(message.string):
            found = set(_PLACEHOLDER.findall(string))
            assert found <= wanted, (language, message.id, string)
            if not isinstance(message.id, tuple):
                assert found == wanted, (language, message.id, string)


def test_catalogues_translate_and_regional_tags_fall_back() -> None:
    assert translations("de").gettext("In this issue") == "In dieser Ausgabe"
    assert translations("de-AT").gettext("In this issue") == "In dieser Ausgabe"
    assert translations("fr-CA").gettext("Comments") == "Commentaires"
    assert translations("it").gettext("In this issue") == "In this issue"
    arabic = translations("ar")
    forms = [arabic.ngettext("%(num)s article", "%(num)s articles", n) for n in (1, 2, 3, 11)]
    assert len(set(forms)) == 4  # Arabic's one, two, few and many differ


def test_a_word_missing_from_a_catalogue_is_said_in_english(tmp_path: Path) -> None:
    assert missing_words("de", {"In this issue", "Thanks for reading"}) == ["Thanks for reading"]
    assert missing_words("en", {"Thanks for reading"}) == []
    assert missing_words("it", {"In this issue"}) == ["In this issue"]


def test_dates_in_the_newsletters_language() -> None:
    day = date(2026, 11, 25)
    assert long_date(day) == "Wednesday 25 November 2026"  # digest's English, as ever
    assert short_date(day) == "25 Nov 2026"
    assert long_date(day, "de") == "Mittwoch, 25. November 2026"
    assert short_date(day, "de") == "25. Nov. 2026"
    assert long_date(day, "fr") == "mercredi 25 novembre 2026"
    assert long_date(day, "es") == "miércoles, 25 de noviembre de 2026"
    assert long_date(day, "ar") == "الأربعاء، 25 نوفمبر 2026"
    assert long_date(day, "en-US") == "Wednesday, November 25, 2026"


@pytest.mark.parametrize(
    ("language", "direction"),
    [
        *[("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("ar-EG", "rtl")],
        *[("az-Arab", "rtl"), ("en", "ltr"), ("de", "ltr"), ("fr-CA", "ltr")],
    ],
)
def test_text_direction(language: str, direction: str) -> None:
    assert text_direction(language) == direction
    assert Settings(language=language).language == language
