"""Configuration: the single place where settings are read, defaulted and validated.

- ``settings``: ``Settings``, every field with its default and docstring;
- ``values``: what each kind of value must look like (addresses, time zones, URLs,
  colours, schedules…), one pure check each, the newsletter-name ``slug``, and the
  ``[[sources]]`` tables (``SourceTable``) with their normalised form (``SourceSpec``);
- ``load``: ``load_settings`` (defaults < ``digest.toml`` < ``DIGEST_*`` < flags),
  config files and their relative paths, secrets kept out of the project, and the
  one-line errors;
- ``errors``: ``ConfigError``.
"""

from __future__ import annotations

from digest.config.errors import ConfigError
from digest.config.load import (
    DEFAULT_CONFIG_FILE,
    SECRET_FIELDS,
    describe_errors,
    in_project,
    load_settings,
    newsletters_named,
    read_config_file,
)
from digest.config.settings import Settings, bundled_templates
from digest.config.values import SourceSpec, SourceTable, slug

__all__ = [
    "DEFAULT_CONFIG_FILE",
    "SECRET_FIELDS",
    "ConfigError",
    "Settings",
    "SourceSpec",
    "SourceTable",
    "bundled_templates",
    "describe_errors",
    "in_project",
    "load_settings",
    "newsletters_named",
    "read_config_file",
    "slug",
]
