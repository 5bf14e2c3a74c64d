"""``digest run`` and ``digest status``: the daemon and where each newsletter's schedule stands."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from digest import clock, logs
from digest.cli.base import (
    EXIT_FAILED,
    cli,
    config_option,
    fail,
    load,
)

if TYPE_CHECKING:
    from digest.config import Settings


@cli.command()
@config_option
@click.option(
    "--once", is_flag=True, help="Make whatever is due now (catch-up included), then exit."
)
@click.option(
    "--dry-run", is_flag=True, help="Only list each newsletter, its last issue and next slot."
)
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Timestamped text lines, or one JSON object per line.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    help="How much to log (overrides the global --log-level).",
)
@click.option(
    "--check-every",
    type=click.FloatRange(min=0.05),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="How often the daemon wakes to look for due slots.",
)
def run(
    config: Path | None,
    once: bool,
    dry_run: bool,
    log_format: str,
    log_level: str | None,
    check_every: float,
) -> None:
    """Publish every newsletter's issues on schedule, each slot exactly once.

    Runs in the foreground until SIGTERM or Ctrl-C. Schedules come from the config
    ("daily at 07:00", "monday at 07:00", "every 6 hours"), in each newsletter's
    time zone. A slot missed while stopped is made once on start when it is at most
    catch_up_hours old. Only one daemon may serve an outbox.

    \b
    Examples:
      digest run                    the daemon (systemd, a container, a terminal)
      digest run --once             for cron or a systemd timer
      digest run --dry-run          what is due, and when
    """
    if log_level:
        logging.getLogger().setLevel(log_level.upper())
    settings = load(config)
    if dry_run:
        _print_status(settings, as_json=False)
        return
    from digest.daemon import Daemon
    from digest.outbox import DaemonBusy

    logs.use_timestamped(log_format)
    daemon = Daemon(settings)
    try:
        with daemon.locked():
            if once:
                failures = daemon.run_once()
            else:
                daemon.serve(tick_seconds=check_every)
                failures = 0
    except DaemonBusy as exc:
        fail(f"{exc}; stop it first (a one-shot `digest render` can still run beside it)")
    except OSError as exc:
        fail(f"{exc.filename or settings.outbox}: {exc.strerror or exc}")
    if failures:
        sys.exit(EXIT_FAILED)


@cli.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per newsletter.")
def status(config: Path | None, as_json: bool) -> None:
    """List each newsletter: schedule, last issue, what is due now and the next slot."""
    _print_status(load(config), as_json=as_json)


def _print_status(settings: Settings, *, as_json: bool) -> None:

    from digest.daemon import status as daemon_status

    for row in daemon_status(settings, clock.now()):
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        last = row["last_issue"]
        click.echo(click.style(row["newsletter"], bold=True))
        click.echo(f"  schedule:   {row['schedule']} ({row['timezone']})")
        click.echo(f"  outbox:     {row['outbox']}")
        if last:
            slot = f", slot {last['slot']}" if last["slot"] else ""
            click.echo(f"  last issue: #{last['number']} of {last['date']}{slot}")
        else:
            click.echo("  last issue: none yet")
        if row["due_now"]:
            click.echo(f"  due now:    slot {row['due_now']} (made at the next run)")
        click.echo(f"  next slot:  {row['next_slot']}")
