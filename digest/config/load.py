"""Reading the settings: defaults < ``digest.toml`` < ``DIGEST_*`` variables < flags.

Relative paths in a config file are relative to that file's folder, so
``digest --config /srv/news/digest.toml`` works from any directory; relative paths
from variables and flags are relative to the working directory, as usual in a shell.
A bad value anywhere becomes a ``ConfigError`` with one line per problem: the field,
the value and what was expected.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import EnvSettingsSource, PydanticBaseSettingsSource, SettingsError

from digest.config.errors import ConfigError
from digest.config.settings import Settings
from digest.config.theme import THEMES
from digest.config.values import SOURCE_TAGS, SourceTable

DEFAULT_CONFIG_FILE = Path("digest.toml")
# Fields whose relative paths are resolved against the config file's folder.
_PATH_FIELDS = ("outbox", "templates", "recipients", "smtp_ca_file", "dkim_key_file")


# The config file's values for the ``load_settings`` call in progress. A context
# variable rather than a class attribute, so that threads (the daemon, the preview
# server) can load settings at the same time.
_file_values: ContextVar[dict[str, Any] | None] = ContextVar("digest_file_values", default=None)


class FileLayer(PydanticBaseSettingsSource):
    """The config file's values, below variables and flags."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return (_file_values.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_file_values.get() or {})


class EnvLayer(EnvSettingsSource):
    """The ``DIGEST_*`` variables. A list setting is JSON there, except that a plain
    path or URL (``DIGEST_SOURCES=seeds``) is a list of one, as in the config file."""

    def decode_complex_value(self, field_name: str, field: Any, value: Any) -> Any:
        plain = isinstance(value, str) and not value.strip().startswith(("[", "{"))
        if field_name == "sources" and plain:
            return [value.strip()]
        return super().decode_complex_value(field_name, field, value)


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
    theme = table.get("theme")
    if isinstance(theme, str) and theme and theme not in THEMES:
        folder = base / Path(theme).expanduser()
        # A folder, not a name; a bare word naming no folder is a misspelt name, and
        # is reported as written.
        if folder.is_dir() or "/" in theme or theme.startswith(("~", ".")):
            resolved["theme"] = str(folder)
    sources = table.get("sources")
    if isinstance(sources, str | dict):  # one source is a list of one (values.one_or_more)
        sources = [sources]
    if isinstance(sources, list):
        resolved["sources"] = [_resolve_source(s, base) for s in sources]
    return resolved


def _resolve_source(source: Any, base: Path) -> Any:
    """A plain source, or a ``[[sources]]`` table's ``path``, relative to ``base``."""
    if isinstance(source, str):
        return source if "://" in source else str(base / Path(source).expanduser())
    if isinstance(source, dict) and isinstance(source.get("path"), str) and source["path"]:
        return {**source, "path": str(base / Path(source["path"]).expanduser())}
    return source


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
    where = Origins(label, data, flags)
    token = _file_values.set(data)
    try:
        settings = Settings(**flags)
    except ValidationError as exc:
        raise ConfigError(describe_errors(exc, data, label, origins=where)) from None
    except SettingsError as exc:
        raise ConfigError(_describe_env_error(exc)) from None
    finally:
        _file_values.reset(token)
    try:
        newsletters = settings.each_newsletter()  # a bad [[newsletters]] table stops here
    except ConfigError as exc:
        raise ConfigError(f"{where('newsletters')}: {exc}") from None
    for each in newsletters:
        each.resolved_theme  # …and so do a theme's file and colours  # noqa: B018
    return settings


class Origins:
    """Where each setting's value came from, named as the user wrote it: the flag
    (``--lead-words``), else the variable (``DIGEST_LEAD_WORDS``), else the config
    file; flags win over variables, which win over the file."""

    def __init__(self, label: str, file_values: dict[str, Any], flags: dict[str, Any]) -> None:
        self.label = label
        self.file_values = file_values
        self.flags = flags

    def __call__(self, field: str) -> str:
        if field in self.flags:
            return f"--{field.replace('_', '-')}"
        variable = f"DIGEST_{field.upper()}"
        if any(name.upper() == variable for name in os.environ):
            return variable
        if field in self.file_values:
            return self.label
        return "the defaults"


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
        f"{variable}: bad setting {field} = {value!r}: expected one path or URL, or JSON "
        f'such as {variable}=\'["news", "https://example.com/feed.xml"]\''
    )


def describe_errors(
    exc: ValidationError,
    file_values: dict[str, Any],
    label: str,
    prefix: str = "",
    origins: Origins | None = None,
) -> str:
    """One line per invalid field: where it came from (``origins``: the file, the
    variable or the flag), which field, the value, what was expected, in digest's words."""
    lines = []
    for error in exc.errors():
        field = prefix + (_field_name(error["loc"]) or "(settings)")
        top = str(error["loc"][0]) if error["loc"] else ""
        where = origins(top) if origins is not None and top else None
        if error["type"] == "extra_forbidden":
            nested = error["loc"][0] == "sources" and len(error["loc"]) > 1
            known = list(SourceTable.model_fields if nested else Settings.model_fields)
            guess = difflib.get_close_matches(str(error["loc"][-1]), known, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            origin = f"{where or label}: " if top in file_values or where else ""
            lines.append(f"{origin}unknown setting '{field}'{hint}")
            continue
        origin = f"{where}: " if where and where != "the defaults" else ""
        if error["type"] == "missing":
            # The input is the whole table around the missing key: not worth quoting.
            lines.append(f"{origin}missing setting {field}: expected a value")
            continue
        lines.append(f"{origin}bad setting {field} = {error['input']!r}: {expected(error)}")
    return "\n".join(lines)


# pydantic's error types, said the way digest says everything else: "expected …".
_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "finite_number": "expected a finite number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected text (in quotes)",
    "list_type": "expected a list, in [brackets]",
    "dict_type": "expected a table of key = value pairs",
    "model_type": "expected a table of key = value pairs",
    "model_attributes_type": "expected a table of key = value pairs",
    "missing": "expected a value",
    "greater_than_equal": "expected at least {ge}",
    "greater_than": "expected more than {gt}",
    "less_than_equal": "expected at most {le}",
    "less_than": "expected less than {lt}",
    "string_too_short": "expected at least {min_length} character(s)",
    "string_too_long": "expected at most {max_length} characters",
    "literal_error": "expected one of {expected}",
}


def expected(error: Any) -> str:
    """What a pydantic error says was expected, in digest's words: our own checks
    already say "expected …"; pydantic's built-in ones are translated."""
    if error["type"] in ("value_error", "assertion_error", "source_entry"):
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    context = error.get("ctx") or {}
    if error["type"] == "string_too_short" and context.get("min_length") == 1:
        return "expected some text"
    template = _EXPECTED.get(error["type"])
    if template is None:
        message = str(error["msg"])
        return f"expected something else ({message[:1].lower()}{message[1:]})"
    return template.format(**context)


def _field_name(loc: tuple[int | str, ...]) -> str:
    """``("sources", 1, "source-table", "url")`` as ``sources[1].url``."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        elif part not in SOURCE_TAGS:
            name += f".{part}" if name else str(part)
    return name
