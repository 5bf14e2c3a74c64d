"""How digest logs: short lines for a person at a terminal, timestamped lines for a daemon.

Every module logs under its stage's name (``getLogger(__name__)``, or the package's
``__package__`` inside a package, so that ``digest.daemon`` stays ``digest.daemon`` in
the log however the package is cut); only the entry points choose a format, through
one of these two calls.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime


class TerminalFormatter(logging.Formatter):
    """``digest: message``, with the level named when it is not plain progress."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            message = f"{record.levelname.lower()}: {message}"
        if record.exc_info and logging.getLogger().isEnabledFor(logging.DEBUG):
            message += "\n" + self.formatException(record.exc_info)
        return f"digest: {message}"


def use_terminal(level: str) -> None:
    """``digest: message`` lines on stderr from ``level`` up (the one-shot commands)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerminalFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


class TextFormatter(logging.Formatter):
    """``2026-11-24T07:00:01.123+00:00 info digest.daemon: message``."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_stamp(record)} {record.levelname.lower()} {record.name}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for journald, Docker and log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": _stamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def use_timestamped(fmt: str) -> None:
    """Timestamped ``text`` or ``json`` lines on stderr, keeping the level already
    chosen (``digest run``: for journald, Docker and log shippers)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    logging.getLogger().handlers[:] = [handler]


def _stamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created).astimezone().isoformat("T", "milliseconds")
