"""The newsletter's language as readers see it: catalogues, dates, text direction.

This module owns the gettext catalogues of the templates' and the view's fixed words
(``digest/locale/<lang>/LC_MESSAGES/digest.po``, English being the msgids themselves,
``digest/locale/digest.pot`` their template), and everything else that follows from
the ``language`` setting at render time:

- ``translations(tag)``: the catalogue for a BCP 47 tag ("de-AT" falls back to "de"),
  compiled from its ``.po`` in memory on first use (so no ``.mo`` is committed or
  built, and an editable install and a wheel behave the same); a word a catalogue
  lacks is said in English;
- ``long_date`` and ``short_date``: CLDR dates through Babel ("Mittwoch, 25. November
  2026"); plain "en" keeps digest's own style ("Wednesday 25 November 2026", "24 Nov
  2026"), a regional English tag ("en-US") gets its CLDR form;
- ``text_direction(tag)``: "rtl" for Arabic, Hebrew, Persian, Urdu…, else "ltr";
- ``template_words`` and ``missing_words``: the fixed words a template chain uses and
  those a language's catalogue does not translate (``digest check`` warns of them).

Babel is imported on first use: importing this module stays cheap for ``digest --help``.
"""

from __future__ import annotations

import functools
import gettext
import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "digest"
SOURCE_LANGUAGE = "en"
"""The language of the msgids: it needs no catalogue, and never misses a word."""

_RTL_FALLBACK = frozenset({"ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
"""Right-to-left languages, for tags Babel has no locale for."""


def _candidates(tag: str) -> list[str]:
    """Catalogue names for ``tag``, most specific first: "de-AT" → de_AT, de."""
    parts = tag.replace("_", "-").split("-")
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


def catalogue_path(tag: str) -> Path | None:
    """The ``.po`` file that translates ``tag``, or ``None`` (then English)."""
    for name in _candidates(tag):
        path = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def shipped_languages() -> list[str]:
    """The languages digest has catalogues for, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LANGUAGE, *(name for name in found if name != SOURCE_LANGUAGE)]


@functools.lru_cache(maxsize=32)
def translations(tag: str) -> gettext.NullTranslations:
    """The gettext translations for ``tag``, compiled from its ``.po`` in memory;
    English (the msgids) when no catalogue fits. Fuzzy entries are left out, as
    ``msgfmt`` leaves them out."""
    path = catalogue_path(tag)
    if path is None or _candidates(tag)[-1] == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    mo = io.BytesIO()
    write_mo(mo, read_catalogue(path))
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


def read_catalogue(path: Path):  # -> babel.messages.Catalog (imported lazily)
    """A ``.po`` file as Babel's ``Catalog``."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def _locale(tag: str):  # -> babel.Locale | None
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def text_direction(tag: str) -> str:
    """ "rtl" for a right-to-left language (by its CLDR locale, script subtags
    included: "az-Arab"), else "ltr"."""
    locale = _locale(tag)
    if locale is not None:
        return "rtl" if locale.text_direction == "rtl" else "ltr"
    return "rtl" if _candidates(tag)[-1].lower() in _RTL_FALLBACK else "ltr"


def _house_style(tag: str) -> bool:
    # Plain "en" (and a tag Babel does not know) keep the dates digest always wrote.
    return tag.lower() == SOURCE_LANGUAGE or _locale(tag) is None


def long_date(day: date, tag: str = SOURCE_LANGUAGE) -> str:
    """The date written out in ``tag``'s language: "Wednesday 25 November 2026"
    for English, "Mittwoch, 25. November 2026", "الأربعاء، 25 نوفمبر 2026"."""
    from babel.dates import format_date

    if _house_style(tag):
        return format_date(day, "EEEE d MMMM y", locale="en")
    return format_date(day, "full", locale=_locale(tag))


def short_date(day: date, tag: str = SOURCE_LANGUAGE) -> str:
    """The date in short: "24 Nov 2026" for English, "24. Nov. 2026" in German."""
    from babel.dates import format_date, format_skeleton

    if _house_style(tag):
        return format_date(day, "d MMM y", locale="en")
    return format_skeleton("yMMMd", day, locale=_locale(tag))


def template_words(env: Environment, names: tuple[str, ...]) -> set[str]:
    """Every fixed word (msgid; for a plural, its singular and plural) the templates
    ``names`` use, following what they extend, include and import."""
    from jinja2 import TemplateNotFound, meta

    words: set[str] = set()
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        except TemplateNotFound:
            continue
        for _line, _function, message in env.extract_translations(source):  # type: ignore[attr-defined]
            parts = message if isinstance(message, tuple) else (message,)
            words.update(part for part in parts if part)
        todo.extend(ref for ref in meta.find_referenced_templates(env.parse(source)) if ref)
    return words


def python_words() -> set[str]:
    """The fixed words ``digest.render.view`` makes in Python (reading times, totals,
    the preheader's phrases), as the catalogue template holds them."""
    template = LOCALE_DIR / f"{DOMAIN}.pot"
    return {
        word
        for message in read_catalogue(template)
        if message.id and any(str(loc[0]).endswith(".py") for loc in message.locations)
        for word in (message.id if isinstance(message.id, tuple) else (message.id,))
    }


def missing_words(tag: str, words: set[str]) -> list[str]:
    """Which of ``words`` the catalogue for ``tag`` does not translate (none for
    English), sorted; every word when there is no catalogue for ``tag`` at all."""
    if _candidates(tag)[-1].lower() == SOURCE_LANGUAGE:
        return []
    path = catalogue_path(tag)
    if path is None:
        return sorted(words)
    translated: set[str] = set()
    for message in read_catalogue(path):
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            translated.update(ids)
    return sorted(words - translated)
