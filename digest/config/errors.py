"""The one error configuration can raise."""

from __future__ import annotations


class ConfigError(Exception):
    """Configuration that cannot be used; ``str()`` is ready to print."""
