"""What a setting's value must look like: one pure check per kind of value.

Each check returns the value as the settings keep it, or raises ``ValueError`` whose
message starts with "expected …": ``load_settings`` puts it after the field and the
value, so every bad setting reads "bad setting timezone = 'Europe/Londn': expected an
IANA time zone …". ``Settings`` attaches them to its fields through the annotated
types at the bottom. A source is a path or URL, or a ``[[sources]]`` table
(``SourceTable``); ``SourceSpec`` is either, normalised, as the pipeline asks for it
(``Settings.source_specs``).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from digest.colours import AA_NORMAL, contrast_ratio

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SUBJECT_FIELDS = {"name", "number", "date", "title", "more"}


def email_address(value: str) -> str:
    value = " ".join(value.split())
    if len(getaddresses([value])) != 1:
        raise ValueError("expected one email address such as 'News <news@example.com>'")
    _, address = parseaddr(value)
    if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address):
        raise ValueError("expected an email address such as 'News <news@example.com>'")
    return value


# RFC 5646 (BCP 47) language tags: language, extlang, script, region, variants,
# extensions and private use. Primary subtags of 4-8 letters are reserved or unused,
# and refusing them catches "german" or "english" for "de" or "en".
_LANGUAGE_TAG = re.compile(
    r"""^(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3})
        (?:-(?P<script>[a-z]{4}))?
        (?:-(?P<region>[a-z]{2}|\d{3}))?
        (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*
        (?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*
        (?:-x(?:-[a-z\d]{1,8})+)?$""",
    re.IGNORECASE | re.VERBOSE,
)


def language_tag(value: str) -> str:
    """A BCP 47 tag in its usual case: "fr-ca" is kept as "fr-CA", "zh-hant" as
    "zh-Hant"."""
    match = _LANGUAGE_TAG.match(value)
    if not match:
        raise ValueError(
            "expected a BCP 47 language tag such as 'en', 'de', 'fr-CA', 'es-419' or 'ar'"
        )
    parts = value.lower().split("-")
    cased = parts[:1]
    extension = False  # after a singleton ("-u-", "-x-") every part stays lower case
    for part in parts[1:]:
        extension = extension or len(part) == 1
        if not extension and len(part) == 4 and part.isalpha():
            part = part.title()
        elif not extension and (len(part) == 2 or (len(part) == 3 and part.isdigit())):
            part = part.upper()
        cased.append(part)
    return "-".join(cased)


def lead_strategy(value: str) -> str:
    # The summariser owns its strategies; imported here, not at the top, so that
    # reading a config stays cheap for commands that never summarise.
    from digest.summarise import STRATEGIES

    if value not in STRATEGIES:
        raise ValueError(f"expected one of {', '.join(map(repr, STRATEGIES))}")
    return value


def _path(kind: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                raise ValueError(f"expected a {kind} path")
            return Path(value).expanduser()
        return value

    return check


def templates_folder(value: Path | None) -> Path | None:
    # Any template it lacks comes from the theme, so an empty folder is fine.
    if value is not None and not value.is_dir():
        raise ValueError("expected a folder of templates (each replaces the theme's of its name)")
    return value


def time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            "expected an IANA time zone such as 'Europe/London' or 'America/New_York'"
        ) from None
    return value


def https_url(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    assert value is not None
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError("expected an https:// URL")
    return value


def folder_url(value: str | None) -> str | None:
    """An https URL under which pages are named: "{url}/2026-11-25-001.html"."""
    value = https_url(value)
    if value is not None and (urlsplit(value).query or urlsplit(value).fragment):
        raise ValueError("expected an https:// URL of a folder, without ?query or #fragment")
    return value.rstrip("/") if value is not None else None


def brand_colour(value: str | None) -> str | None:
    if value is None:
        return None
    if not _HEX_COLOUR.match(value):
        raise ValueError("expected a colour as #rrggbb")
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < AA_NORMAL:
        raise ValueError(
            f"expected a colour dark enough for white text (contrast {ratio:.1f}:1, "
            f"WCAG AA needs {AA_NORMAL}:1)"
        )
    return value.lower()


def schedule_text(value: str) -> str:
    from digest.slots import parse_schedule

    parse_schedule(value)  # ScheduleError is a ValueError: one line, "expected …"
    return value.strip()


def subject_format(value: str | None) -> str | None:
    if not value:
        return None
    expected = (
        "expected a format such as '{name} #{number}: {title}{more}' using only "
        "{name}, {number}, {date}, {title} and {more}"
    )
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(value) if field]
    except ValueError as exc:
        raise ValueError(f"{expected} ({exc})") from None
    # Only bare names: "{title.__class__}" or "{name[0]}" would reach into objects.
    unknown = [f for f in fields if f not in _SUBJECT_FIELDS]
    if unknown:
        raise ValueError(f"{expected} (not {{{unknown[0]}}})")
    return value


def one_or_more(value: Any) -> Any:
    """A single source (a string or a table) where a list is expected is a list of one:
    ``sources = "seeds"`` means ``sources = ["seeds"]``."""
    if isinstance(value, str | dict | SourceTable):
        return [value]
    return value


def some_sources(value: list[Any]) -> list[Any]:
    if not value:
        raise ValueError("expected at least one source path or URL")
    return value


def source_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    spaced = any(c.isspace() for c in value)
    if parts.scheme not in ("http", "https") or not parts.netloc or spaced:
        raise ValueError("expected an http:// or https:// URL")
    return value


class SourceTable(BaseModel):
    """A ``[[sources]]`` table: one file, folder, feed or page, with its options.

    Exactly one of ``path`` and ``url``; the rest is optional. ``load_settings``
    resolves a relative ``path`` against the config file's folder, as it does a plain
    string source.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    path: str | None = Field(None, min_length=1)
    """A file, folder or feed file."""
    url: Annotated[str | None, AfterValidator(source_url)] = None
    """A feed or page URL."""
    name: str | None = Field(None, min_length=1, max_length=80)
    """What the issue calls the source (its footer, when it keeps failing)."""
    section: str | None = Field(None, min_length=1, max_length=80)
    """The heading its items go under, in the HTML and the text."""
    max_items: int | None = Field(None, ge=1, le=10_000)
    """At most this many of its newest entries are ever eligible."""
    max_age_days: float | None = Field(None, gt=0, allow_inf_nan=False)
    """Entries published longer ago than this (before the issue is made) are not
    eligible; entries without a date are."""
    fetch_linked: bool = False
    """Read each link-only entry's linked page for a lead and headings (Hacker News,
    Lobsters, Reddit); a page that cannot be read leaves the entry as a link."""

    @model_validator(mode="after")
    def _one_place(self) -> SourceTable:
        if (self.path is None) == (self.url is None):
            raise ValueError("expected exactly one of path or url")
        return self


@dataclass(frozen=True)
class SourceSpec:
    """One configured source, normalised: what ``read_sources`` is given (``spec``)
    and the options a ``[[sources]]`` table adds (all unset for a plain string)."""

    spec: str
    name: str | None = None
    section: str | None = None
    max_items: int | None = None
    max_age_days: float | None = None
    fetch_linked: bool = False

    @property
    def label(self) -> str:
        """How the issue names it to readers: its ``name``, else the URL's host (without
        ``www.``) or the file's or folder's name, never a path on the server."""
        if self.name:
            return self.name
        if "://" in self.spec:
            try:
                host = urlsplit(self.spec).hostname
            except ValueError:
                host = None
            return host.removeprefix("www.") if host else self.spec
        return Path(self.spec).name or self.spec

    @property
    def limited(self) -> bool:
        return self.max_items is not None or self.max_age_days is not None


def source_spec(entry: str | SourceTable) -> SourceSpec:
    if isinstance(entry, str):
        return SourceSpec(entry)
    spec = entry.path if entry.path is not None else entry.url
    assert spec is not None  # SourceTable has one of them
    return SourceSpec(
        spec=spec,
        name=entry.name,
        section=entry.section,
        max_items=entry.max_items,
        max_age_days=entry.max_age_days,
        fetch_linked=entry.fetch_linked,
    )


SOURCE_TAGS = ("source-path-or-url", "source-table")
"""The tags pydantic puts in an error's location for each form of a source entry;
``describe_errors`` leaves them out of the field's name."""


def _source_form(value: Any) -> str | None:
    if isinstance(value, str):
        return SOURCE_TAGS[0]
    if isinstance(value, dict | SourceTable):
        return SOURCE_TAGS[1]
    return None


def slug(name: str) -> str:
    """A newsletter's name as a label for folders, List-Id and Message-ID: lower-case
    ASCII letters and digits joined by hyphens ("The Daily Brief" → "the-daily-brief";
    "newsletter" when the name has no such character)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "newsletter"


Address = Annotated[str, AfterValidator(email_address)]
Strategy = Annotated[str, AfterValidator(lead_strategy)]
Language = Annotated[str, AfterValidator(language_tag)]
Folder = Annotated[Path, BeforeValidator(_path("folder"))]
OptionalFile = Annotated[Path | None, BeforeValidator(_path("file"))]
Templates = Annotated[
    Path | None, BeforeValidator(_path("folder")), AfterValidator(templates_folder)
]
TimeZone = Annotated[str, AfterValidator(time_zone)]
HttpsUrl = Annotated[str | None, AfterValidator(https_url)]
FolderUrl = Annotated[str | None, AfterValidator(folder_url)]
Colour = Annotated[str | None, AfterValidator(brand_colour)]
Schedule = Annotated[str, AfterValidator(schedule_text)]
Subject = Annotated[str | None, AfterValidator(subject_format)]
SourceEntry = Annotated[
    Annotated[str, Tag(SOURCE_TAGS[0])] | Annotated[SourceTable, Tag(SOURCE_TAGS[1])],
    Discriminator(
        _source_form,
        custom_error_type="source_entry",
        custom_error_message="expected a path or URL, or a table with path or url",
    ),
]
Sources = Annotated[list[SourceEntry], BeforeValidator(one_or_more), AfterValidator(some_sources)]
