"""The newsletter's language at render time (``digest.render.i18n``): the gettext
catalogues cover every fixed word of every template, dates and text direction follow
the language, and a missing word falls back to English."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

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
from tests.test_preview_browser import browser

__all__ = ["browser"]  # the Chromium fixture, shared with the preview's browser tests

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


# --------------------------------------------------------------------------- the issue


def test_the_language_reaches_the_html_the_archive_and_the_message(tmp_path: Path) -> None:
    from email import message_from_bytes

    from digest.archive import index_html
    from tests.test_golden import language_issue

    rendered = language_issue("ar", tmp_path / "outbox")
    assert '<html lang="ar" dir="rtl"' in rendered.html
    assert message_from_bytes(rendered.eml)["Content-Language"] == "ar"
    german = language_issue("de", tmp_path / "outbox-de")
    assert '<html lang="de"' in german.html and 'dir="rtl"' not in german.html
    assert message_from_bytes(german.eml)["Content-Language"] == "de"
    index = index_html([], Settings(language="ar"))
    assert '<html lang="ar" dir="rtl">' in index and "لا أعداد بعد." in index
    assert '<html lang="en">' in index_html([], Settings())


ARABIC_LAYOUT = """() => {
  const text = (el) => { const r = document.createRange(); r.selectNodeContents(el);
                         return r.getBoundingClientRect(); };
  const heading = document.querySelector("h2 a.link").closest("h2");
  const meta = heading.nextElementSibling;
  const box = heading.getBoundingClientRect();
  const number = document.querySelector("p.ink > a > span.link");
  const rest = document.createRange(); rest.selectNode(number.nextSibling);
  return {
    direction: getComputedStyle(heading).direction,
    align: getComputedStyle(heading).textAlign,
    metaAlign: getComputedStyle(meta).textAlign,
    box: [box.left, box.right], title: [text(heading).left, text(heading).right],
    meta: [text(meta).left, text(meta).right],
    number: [number.getBoundingClientRect().left, number.getBoundingClientRect().right],
    tocTitle: [rest.getClientRects()[0].left, rest.getClientRects()[0].right],
    overflow: document.documentElement.scrollWidth > window.innerWidth
              || document.body.scrollWidth > window.innerWidth,
  };
}"""


def test_the_arabic_issue_reads_right_to_left_on_a_phone(browser: Any) -> None:
    """The Arabic golden issue at 375 px in headless Chromium: right to left, the first
    item's title and meta flush right, the table of contents' numbers on the right."""
    from tests.test_preview_browser import shot

    html = (ROOT / "tests" / "fixtures" / "golden" / "languages" / "ar.html").resolve()
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(html.as_uri())
        layout = page.evaluate(ARABIC_LAYOUT)
        shot(page, "issue-arabic-phone")
    finally:
        context.close()
    assert layout["direction"] == "rtl"
    assert layout["align"] == layout["metaAlign"] == "right"
    assert not layout["overflow"], "the Arabic issue overflows at 375 px"
    (box_left, box_right), (title_left, title_right) = layout["box"], layout["title"]
    meta_left, meta_right = layout["meta"]
    # Both lines end at the card's right edge; the shorter meta starts further right
    # (by how much depends on the fonts installed: 17 px with Liberation, more with DejaVu).
    assert abs(title_right - box_right) < 2 and abs(meta_right - title_right) < 2
    assert meta_left > box_left + 5 and title_left >= box_left - 1
    # In the contents, "01" stands to the right of its title, not to the left.
    assert layout["number"][0] >= layout["tocTitle"][1] - 1


def test_placeholders_in_translated_words_are_escaped() -> None:
    """A catalogue's words are trusted markup; the values put into them are not."""
    from tests.test_check import build, settings

    files = build([], settings(name="Tom & <b>Jerry</b>", language="de"))
    assert "Sie erhalten Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;, weil Sie es abonniert" in files.html
    assert "<b>Jerry" not in files.html


def test_a_repeated_title_is_told_apart_in_the_newsletters_own_words() -> None:
    """Two items of the same title get "(site, item 2)" as one translated phrase, so the
    comma between the site and the number is the language's own: "،" in Arabic."""
    from digest.render import render_issue
    from tests.test_render import TITLES, make_issue, make_item

    items = [make_item(0), make_item(1, title=TITLES[0])]
    arabic = render_issue(make_issue(items), Settings(language="ar")).html
    assert f"{TITLES[0]} (example.com، المادة 2)" in arabic
    assert "example.com, " not in arabic
    german = render_issue(make_issue(items), Settings(language="de")).html
    assert f"{TITLES[0]} (example.com, Beitrag 2)" in german
