"""How each source fared in the runs before: ``outbox/.source-health.json``.

A run that reads the sources (``pipeline.publish``) records, for each configured
source, whether it failed outright (an error, and not one article): ``record_runs``
keeps, per source that is failing now, how many runs in a row it has failed and since
when. A source that is read again, or is no longer configured, drops out. The file is
replaced atomically under its own lock, so two runs on one outbox never lose a count.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digest.outbox.atomic import replace_file
from digest.outbox.locks import health_lock

log = logging.getLogger(__package__)

HEALTH_NAME = ".source-health.json"
"""Each failing source's run of failures (a dotfile: never published or served)."""


@dataclass(frozen=True)
class SourceHealth:
    """One failing source: ``failures`` runs in a row, the first of them at ``since``."""

    failures: int
    since: datetime


def read_health(outbox: Path) -> dict[str, SourceHealth]:
    """The recorded failures by source (its path or URL as configured); nothing if the
    file is missing, and nothing, with a warning, if it cannot be read."""
    path = outbox / HEALTH_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot read it (%s); counting failures afresh", path, exc)
        return {}
    health = {}
    try:
        for source, entry in data.get("sources", {}).items():
            since = datetime.fromisoformat(entry["since"])
            health[str(source)] = SourceHealth(max(1, int(entry["failures"])), since)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        log.warning("%s: not a record of failures (%s); counting afresh", path, exc)
        return {}
    return health


def advance_health(
    health: Mapping[str, SourceHealth], results: Mapping[str, bool], now: datetime
) -> dict[str, SourceHealth]:
    """``health`` after one more run, in which each source of ``results`` was read
    (``True``) or failed (``False``). Pure: ``record_runs`` keeps what it gives."""
    after = {}
    for source, read in results.items():
        if read:
            continue
        before = health.get(source)
        after[source] = (
            SourceHealth(before.failures + 1, before.since) if before else SourceHealth(1, now)
        )
    return after


def record_runs(
    outbox: Path, results: Mapping[str, bool], now: datetime
) -> dict[str, SourceHealth]:
    """Record one run's ``results`` (see ``advance_health``) and return the health after it."""
    if all(results.values()) and not (outbox / HEALTH_NAME).exists():
        return {}  # nothing failing, nothing recorded: leave the outbox as it is
    with health_lock(outbox):
        before = read_health(outbox)
        after = advance_health(before, results, now)
        if after or before or (outbox / HEALTH_NAME).exists():
            data = {
                "sources": {
                    source: {"failures": entry.failures, "since": entry.since.isoformat()}
                    for source, entry in after.items()
                }
            }
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            replace_file(outbox / HEALTH_NAME, text.encode("utf-8"))
    return after
