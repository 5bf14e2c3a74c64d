"""The ``digest`` command line: every subcommand and option, a module per concern.

- ``base``: the ``cli`` group, the shared options, exit codes and error lines;
- ``issues``: ``render``, ``summarise``, ``archive``;
- ``schedule``: ``run``, ``status``;
- ``review``: ``preview``, ``check``;
- ``send``: ``send``;
- ``init``: ``init`` (a new newsletter folder).

Importing this package registers every command on ``cli``.
"""

from __future__ import annotations

from digest.cli import init, issues, review, schedule, send  # noqa: F401  (they register commands)
from digest.cli.base import cli, main

__all__ = ["cli", "main"]
