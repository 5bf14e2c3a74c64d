"""Settings: the single place where configuration is read, defaulted and validated.

Precedence, lowest first: built-in defaults, ``digest.toml`` (or ``--config FILE``),
``DIGEST_*`` environment variables, command-line flags. A bad value anywhere raises
``ConfigError`` with one line per problem naming the field, the value and what was
expected; the CLI prints it and exits with status 2.

Relative paths in a config file are relative to that file's folder, so
``digest --config /srv/news/digest.toml`` works from any directory; relative paths
from variables and flags are relative to the working directory, as usual in a shell.
"""

from __future__ import annotations

import difflib
import os
import re
import string
import tomllib
from contextvars import ContextVar
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from digest.colours import AA_NORMAL, contrast_ratio

DEFAULT_CONFIG_FILE = Path("digest.toml")
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Fields whose relative paths are resolved against the config file's folder.
_PATH_FIELDS = ("outbox", "templates", "recipients", "smtp_ca_file", "dkim_key_file")
_SUBJECT_FIELDS = {"name", "number", "date", "title", "more"}


class ConfigError(Exception):
    """Configuration that cannot be used; ``str()`` is ready to print."""


class Settings(BaseSettings):
    """Everything a newsletter needs to be assembled, rendered and written."""

    model_config = SettingsConfigDict(
        env_prefix="DIGEST_",
        extra="forbid",
        validate_default=True,
        allow_inf_nan=False,
        str_strip_whitespace=True,
    )

    name: str = Field("The Digest", min_length=1, max_length=80)
    """The newsletter's name: in the subject, the header and List-Id."""
    sender: str = "The Digest <digest@example.com>"
    """The From address, optionally with a display name."""
    to: str = "readers@example.com"
    """The list address the issue is sent to (the To header)."""
    sources: list[str] = Field(default_factory=lambda: ["seeds"])
    """Files, folders, feed files and feed/page URLs to read articles from."""
    outbox: Path = Path("outbox")
    timezone: str = "Europe/London"
    """IANA time zone in which issues are dated (and, for the daemon, scheduled)."""
    lead_words: int = Field(60, ge=10, le=500)
    """Word budget for each item's lead."""
    lead_overrun: float = Field(0.25, ge=0, le=1)
    """How far past ``lead_words``, as a share of it, a lead may run to end on a whole
    sentence worth its words (leads still average under the budget); 0 makes the budget
    a hard limit. Only the ``lead`` strategy uses it."""
    lead_strategy: str = "lead"
    """How each lead is chosen: one of ``digest.summarise.STRATEGIES``, which says what
    each does."""
    max_items: int = Field(12, ge=1, le=200)
    """At most this many items in one issue; the rest wait for the next."""
    unsubscribe_url: str | None = "https://example.com/unsubscribe"
    postal_address: str = "The Digest, 1 Example Street, London EC1A 1AA, United Kingdom"
    archive_url: str | None = None
    """The https URL where the outbox's ``archive/`` folder is published (such as
    ``https://example.com/digest``): each issue then links to its page there ("View in
    browser"), and the feed's links point there. Unset: no such link, relative feed links."""
    brand_colour: str = "#1d4ed8"
    """Accent colour (#rrggbb) for the header band and links; must reach WCAG AA
    contrast (4.5:1) against white."""
    templates: Path | None = None
    """Folder holding ``issue.mjml.j2`` and ``issue.txt.j2``; the bundled ones if unset."""
    max_source_bytes: int = Field(5_000_000, ge=1)
    """Sources larger than this are skipped with a warning."""
    words_per_minute: int = Field(230, ge=50, le=1000)
    """Reading speed used for each item's reading time."""

    # --- the daemon (`digest run`) and several newsletters ------------------------
    schedule: str = "daily at 07:00"
    """When `digest run` makes an issue, in ``timezone``: see ``digest.slots``."""
    send_empty: bool = False
    """Make an issue for a slot even when no item is new (otherwise the slot is skipped)."""
    catch_up_hours: float = Field(12, ge=0, le=24 * 366)
    """On start, a slot missed by at most this many hours is made once (the latest only)."""
    subject: str | None = None
    """Subject format, e.g. ``"{name} #{number}: {title}{more}"`` (also ``{date}``);
    unset: the built-in one."""
    newsletters: list[dict[str, Any]] = Field(default_factory=list)
    """``[[newsletters]]`` tables: more newsletters, each overriding top-level keys."""

    # --- delivery (`digest send`) ---------------------------------------------------
    send: bool = False
    """`digest run` sends each new issue after writing it (through the same ledger)."""
    recipients: Path | None = None
    """A recipients file (CSV with ``email`` and optional ``name``, or one address a
    line), each reader getting a copy of their own; unset: one message to ``to``."""
    smtp_host: str = "localhost"
    smtp_port: int | None = Field(None, ge=1, le=65535)
    """Unset: 587 with STARTTLS, 465 with implicit TLS, 25 without either."""
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    """From ``DIGEST_SMTP_PASSWORD``, or a config file outside the project (never one
    inside it, where it would be committed)."""
    smtp_ca_file: Path | None = None
    """Certificates to trust besides the system's (a private server's own CA)."""
    smtp_timeout: float = Field(30, gt=0, le=600)
    send_rate: float = Field(0, ge=0)
    """Messages per second at most, over all connections; 0: as fast as the server takes."""
    send_connections: int = Field(1, ge=1, le=32)
    """SMTP connections in parallel, each reused for many messages."""
    send_attempts: int = Field(5, ge=1, le=100)
    """Tries per reader when the server says "try later" (4xx) before giving up."""
    send_retry_seconds: float = Field(30, ge=0, le=3600)
    """The first wait after a temporary failure; it doubles with each retry (cap 15 min)."""
    unsubscribe_secret: SecretStr | None = None
    """Key that signs each reader's ``{token}`` in ``unsubscribe_url`` (HMAC-SHA256);
    kept like ``smtp_password``."""
    dkim_key_file: Path | None = None
    """A PEM private key: each message is DKIM-signed with it (with ``dkim_selector``)."""
    dkim_selector: str | None = None
    dkim_domain: str | None = None
    """Unset: the sender's domain."""

    @field_validator("sender", "to")
    @classmethod
    def _address(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(getaddresses([value])) != 1:
            raise ValueError("expected one email address such as 'News <news@example.com>'")
        _, address = parseaddr(value)
        if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address):
            raise ValueError("expected an email address such as 'News <news@example.com>'")
        return value

    @field_validator("lead_strategy")
    @classmethod
    def _strategy(cls, value: str) -> str:
        # The summariser owns its strategies; imported here, not at the top, so that
        # reading a config stays cheap for commands that never summarise.
        from digest.summarise import STRATEGIES

        if value not in STRATEGIES:
            raise ValueError(f"expected one of {', '.join(map(repr, STRATEGIES))}")
        return value

    @field_validator(*_PATH_FIELDS, mode="before")
    @classmethod
    def _path(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            if not value.strip():
                kind = "folder" if info.field_name in ("outbox", "templates") else "file"
                raise ValueError(f"expected a {kind} path")
            return Path(value).expanduser()
        return value

    @field_validator("templates")
    @classmethod
    def _templates(cls, value: Path | None) -> Path | None:
        if value is not None:
            missing = [n for n in ("issue.mjml.j2", "issue.txt.j2") if not (value / n).is_file()]
            if missing:
                raise ValueError(
                    f"expected a folder holding {' and '.join(missing)} "
                    "(copy the bundled templates/ folder to start from)"
                )
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                "expected an IANA time zone such as 'Europe/London' or 'America/New_York'"
            ) from None
        return value

    @field_validator("unsubscribe_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
            raise ValueError("expected an https:// URL")
        return value

    @field_validator("archive_url")
    @classmethod
    def _archive_url(cls, value: str | None) -> str | None:
        value = cls._https_url(value)
        if value is not None and (urlsplit(value).query or urlsplit(value).fragment):
            raise ValueError("expected an https:// URL of a folder, without ?query or #fragment")
        # Pages are named below it: "{archive_url}/2026-11-25-001.html".
        return value.rstrip("/") if value is not None else None

    @field_validator("brand_colour")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not _HEX_COLOUR.match(value):
            raise ValueError("expected a colour as #rrggbb")
        ratio = contrast_ratio(value, "#ffffff")
        if ratio < AA_NORMAL:
            raise ValueError(
                f"expected a colour dark enough for white text (contrast {ratio:.1f}:1, "
                f"WCAG AA needs {AA_NORMAL}:1)"
            )
        return value.lower()

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        from digest.slots import parse_schedule

        parse_schedule(value)  # ScheduleError is a ValueError: one line, "expected …"
        return value.strip()

    @field_validator("subject")
    @classmethod
    def _subject(cls, value: str | None) -> str | None:
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

    @model_validator(mode="after")
    def _dkim(self) -> Settings:
        if (self.dkim_key_file is None) != (self.dkim_selector is None):
            given = "dkim_key_file" if self.dkim_selector is None else "dkim_selector"
            missing = "dkim_selector" if self.dkim_selector is None else "dkim_key_file"
            raise ValueError(f"{given} is set: expected {missing} too (DKIM needs both)")
        return self

    @field_validator("sources")
    @classmethod
    def _sources(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("expected at least one source path or URL")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def each_newsletter(self) -> list[Settings]:
        """One ``Settings`` per newsletter: ``[self]`` without ``[[newsletters]]`` tables.

        Each table overrides the top-level keys; a newsletter without its own ``outbox``
        gets a sub-folder of the top-level one named after it, because two newsletters
        numbering into one folder would share (and break) each other's sequence.
        """
        if not self.newsletters:
            return [self]
        base = self.model_dump(exclude={"newsletters"})
        newsletters, outboxes = [], {}
        for index, table in enumerate(self.newsletters):
            label = f"newsletters[{index}]"
            if "newsletters" in table:
                raise ConfigError(f"{label}: a newsletter cannot contain newsletters")
            # A nameless table's folder keeps the name it always had, so that upgrading
            # never moves an outbox (and restarts its numbering).
            default_outbox = self.outbox / slug(str(table.get("name", f"edition-{index + 1}")))
            values = {**base, "outbox": default_outbox, **table, "newsletters": []}
            try:
                newsletter = Settings(**values)
            except ValidationError as exc:
                raise ConfigError(describe_errors(exc, {}, label, prefix=f"{label}.")) from None
            folder = newsletter.outbox.resolve()
            if folder in outboxes:
                raise ConfigError(
                    f"bad setting {label}.outbox = '{newsletter.outbox}': expected a folder of "
                    f"its own (newsletters[{outboxes[folder]}] writes there too)"
                )
            outboxes[folder] = index
            newsletters.append(newsletter)
        return newsletters

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2].lower()

    @property
    def list_id(self) -> str:
        """``<label.domain>`` for the List-Id header (RFC 2919)."""
        return f"<{self.slug}.{self.sender_domain}>"

    @property
    def slug(self) -> str:
        """The name as a label (see ``slug``)."""
        return slug(self.name)

    @property
    def templates_dir(self) -> Path:
        return self.templates if self.templates is not None else bundled_templates()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _FileLayer(settings_cls))


# The config file's values for the ``load_settings`` call in progress. A context
# variable rather than a class attribute, so that threads (the daemon, the preview
# server) can load settings at the same time.
_file_values: ContextVar[dict[str, Any] | None] = ContextVar("digest_file_values", default=None)


class _FileLayer(PydanticBaseSettingsSource):
    """The config file's values, below variables and flags."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return (_file_values.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_file_values.get() or {})


def bundled_templates() -> Path:
    """The templates shipped with digest (in a wheel, or the repository's folder)."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def read_config_file(path: Path) -> dict[str, Any]:
    """The TOML file's settings, with relative paths made relative to its folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    base = path.parent
    # The default outbox and sources belong beside the file too, so that
    # `digest --config /srv/news/digest.toml` never writes into the working directory.
    data.setdefault("outbox", "outbox")
    data.setdefault("sources", ["seeds"])
    data.update(_resolve_paths(data, base))
    tables = data.get("newsletters")
    for table in tables if isinstance(tables, list) else []:
        # Paths in [[newsletters]] tables are relative to the file, like top-level ones.
        if isinstance(table, dict):
            table.update(_resolve_paths(table, base))
    return data


def _resolve_paths(table: dict[str, Any], base: Path) -> dict[str, Any]:
    """``table``'s path settings made relative to ``base`` (a config file's folder)."""
    resolved: dict[str, Any] = {}
    for key in _PATH_FIELDS:
        if isinstance(table.get(key), str) and table[key]:
            resolved[key] = str(base / Path(table[key]).expanduser())
    if isinstance(table.get("sources"), list):
        resolved["sources"] = [
            s if not isinstance(s, str) or "://" in s else str(base / Path(s).expanduser())
            for s in table["sources"]
        ]
    return resolved


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Settings from defaults < config file < ``DIGEST_*`` variables < ``overrides``.

    ``config_file=None`` reads ``./digest.toml`` when it exists. ``overrides`` are
    the command-line flags; ``None`` values mean "flag not given" and are dropped.
    """
    if config_file is None:
        data = read_config_file(DEFAULT_CONFIG_FILE) if DEFAULT_CONFIG_FILE.is_file() else {}
        label = str(DEFAULT_CONFIG_FILE)
    else:
        data = read_config_file(config_file)
        label = str(config_file)
    _refuse_committed_secrets(data, config_file or DEFAULT_CONFIG_FILE)
    flags = {k: v for k, v in overrides.items() if v is not None}
    token = _file_values.set(data)
    try:
        settings = Settings(**flags)
        settings.each_newsletter()  # a bad [[newsletters]] table stops here, like a bad key
        return settings
    except ValidationError as exc:
        raise ConfigError(describe_errors(exc, data, label)) from None
    except SettingsError as exc:
        raise ConfigError(_describe_env_error(exc)) from None
    finally:
        _file_values.reset(token)


SECRET_FIELDS = ("smtp_password", "unsubscribe_secret")


def _refuse_committed_secrets(data: dict[str, Any], config_file: Path) -> None:
    """A secret in a config file inside the project would be committed with it: only
    the environment, or a config file kept outside the project, may hold one."""
    more = data.get("newsletters")
    tables = [data, *(more if isinstance(more, list) else [])]
    tables = [table for table in tables if isinstance(table, dict)]
    found = next((key for table in tables for key in SECRET_FIELDS if key in table), None)
    if found is None or not in_project(config_file):
        return
    raise ConfigError(
        f"{config_file}: {found} must not be kept in a config file inside the project "
        f"(it would be committed with it); set DIGEST_{found.upper()} in the environment "
        "instead, or keep it in a config file outside the project"
    )


def in_project(path: Path) -> bool:
    """Whether ``path`` lies in the current folder or in a git work tree."""
    where = path.resolve()
    if where.is_relative_to(Path.cwd().resolve()):
        return True
    return any((folder / ".git").exists() for folder in where.parents)


def newsletters_named(settings: Settings, newsletter: str | None) -> list[Settings]:
    """The configured newsletters, or only the one named ``newsletter`` (``--newsletter``);
    an unknown name is a ``ConfigError`` listing the configured ones."""
    every = settings.each_newsletter()
    if newsletter is None:
        return every
    chosen = [e for e in every if e.name == newsletter]
    if not chosen:
        names = ", ".join(repr(e.name) for e in every)
        raise ConfigError(f"no newsletter named {newsletter!r} (configured: {names})")
    return chosen


def _describe_env_error(exc: SettingsError) -> str:
    """pydantic-settings reads list values from variables as JSON, and says so badly."""
    match = re.search(r'field "(\w+)"', str(exc))
    if not match:
        return f"bad setting from the environment: {exc}"
    field = match.group(1)
    variable = f"DIGEST_{field.upper()}"
    value = os.environ.get(variable, "")
    return (
        f"bad setting {field} ({variable}) = {value!r}: expected JSON, "
        f'such as {variable}=\'["news", "https://example.com/feed.xml"]\''
    )


def describe_errors(
    exc: ValidationError, file_values: dict[str, Any], label: str, prefix: str = ""
) -> str:
    """One line per invalid field: where, which field, the value, what was expected."""
    lines = []
    for error in exc.errors():
        field = prefix + (".".join(str(part) for part in error["loc"]) or "(settings)")
        if error["type"] == "extra_forbidden":
            known = list(Settings.model_fields)
            guess = difflib.get_close_matches(str(error["loc"][0]), known, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            origin = f"{label}: " if str(error["loc"][0]) in file_values else ""
            lines.append(f"{origin}unknown setting '{field}'{hint}")
            continue
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"bad setting {field} = {error['input']!r}: {message}")
    return "\n".join(lines)


def slug(name: str) -> str:
    """A newsletter's name as a label for folders, List-Id and Message-ID: lower-case
    ASCII letters and digits joined by hyphens ("The Daily Brief" → "the-daily-brief";
    "newsletter" when the name has no such character)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "newsletter"
