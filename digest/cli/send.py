"""``digest send``: delivering an issue to its readers (see ``digest.delivery``)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from digest.cli.base import (
    EXIT_FAILED,
    EXIT_USAGE,
    cli,
    config_option,
    fail,
    load,
    newsletter_option,
    newsletters,
    report_problems,
)

if TYPE_CHECKING:
    from digest.config import Settings
    from digest.delivery import Recipient


@cli.command()
@click.argument("issue", required=False)
@config_option
@newsletter_option
@click.option("--dry-run", is_flag=True, help="Say what would be sent; connect to nothing.")
@click.option(
    "--to",
    "test_address",
    metavar="ADDRESS",
    help="Send one test copy to ADDRESS only; nothing is recorded.",
)
@click.option("--status", "show_status", is_flag=True, help="Per issue: sent, failed, pending.")
@click.option("--json", "as_json", is_flag=True, help="With --status: one JSON object a line.")
def send(
    issue: str | None,
    config: Path | None,
    newsletter: str | None,
    dry_run: bool,
    test_address: str | None,
    show_status: bool,
    as_json: bool,
) -> None:
    """Deliver an issue over SMTP: each reader exactly once, resumable.

    ISSUE is a folder, a folder name or a number; by default the newest issue not
    yet sent. Readers come from the recipients file (or the list address `to`).
    What each reader got is kept in the issue's delivery.jsonl, so running the
    command again after a crash or a stop carries on where it ended.

    \b
    Examples:
      digest send --dry-run
      digest send --to me@example.com      # a test copy, recorded nowhere
      digest send                          # the newest unsent issue
      digest send --status
    """
    chosen = newsletters(load(config), newsletter)
    if show_status:
        for each in chosen:
            _print_delivery_status(each, several=len(chosen) > 1, as_json=as_json)
        return
    if len(chosen) > 1:
        fail("several newsletters are configured: choose one with --newsletter", EXIT_USAGE)
    settings = chosen[0]
    folder = _issue_to_send(settings, issue)
    if test_address is not None:
        _send_test_copy(folder, settings, test_address)
        return
    recipients = _recipients(settings)
    if dry_run:
        _describe_send(folder, settings, recipients)
        return
    _deliver(folder, settings, recipients)


def _issue_to_send(settings: Settings, issue: str | None) -> Path:
    from digest.delivery import newest_unsent
    from digest.outbox import find_issue

    folder = find_issue(settings.outbox, issue) if issue else newest_unsent(settings.outbox)
    if folder is None and issue:
        fail(f"{settings.outbox}: no issue {issue!r} (give a folder, its name or its number)")
    if folder is None:
        click.echo(f"nothing to send: every issue in {settings.outbox} has been sent")
        sys.exit(0)
    return folder


def _recipients(settings: Settings) -> list[Recipient]:
    """The readers, reporting each bad line; exit 2 if the file cannot be used."""
    from digest.delivery import RecipientsError, readers_for

    try:
        listed = readers_for(settings)
    except RecipientsError as exc:
        fail(str(exc), EXIT_USAGE)
    report_problems(listed.problems)
    return listed.recipients


def _send_test_copy(folder: Path, settings: Settings, address: str) -> None:
    from digest.delivery import Recipient, SendFailed, send_test_copy
    from digest.delivery.recipients import check_address

    checked = check_address(address)
    if not isinstance(checked, str):
        fail(f"--to: {checked.message}", EXIT_USAGE)
    try:
        send_test_copy(folder, settings, Recipient(checked))
    except SendFailed as exc:
        fail(str(exc))
    click.echo(f"sent a test copy of {folder} to {checked} (not recorded)")


def _describe_send(folder: Path, settings: Settings, recipients: list[Recipient]) -> None:
    from digest.delivery import ledger
    from digest.delivery.smtp import server_label

    known = ledger.replay(folder).readers
    todo = [r for r in recipients if r.key not in known or not known[r.key].settled]
    click.echo(
        f"would send {folder} to {len(todo):,} of {len(recipients):,} reader(s) "
        f"through {server_label(settings)} ({settings.smtp_security}, "
        f"{settings.send_connections} connection(s)"
        + (f", at most {settings.send_rate:g}/s" if settings.send_rate else "")
        + ")"
    )
    done = len(recipients) - len(todo)
    if done:
        click.echo(f"{done:,} reader(s) already settled by an earlier run are skipped")


def _deliver(folder: Path, settings: Settings, recipients: list[Recipient]) -> None:
    from digest.delivery import SendFailed, deliver
    from digest.outbox import SendBusy

    progress = _progress_line() if sys.stderr.isatty() else None
    try:
        report = deliver(folder, settings, recipients, progress=progress)
    except SendBusy as exc:
        fail(str(exc))
    except SendFailed as exc:
        fail(f"{exc}; what was sent is recorded, and digest send goes on from there")
    finally:
        if progress is not None:
            click.echo("", err=True)
    for address, why in report.failed:
        click.echo(f"{address}: {why}", err=True)
    summary = (
        f"{folder}: sent {report.sent:,}, failed {len(report.failed):,}"
        f", unconfirmed {report.unconfirmed:,} (of {report.attempted:,} tried"
        f"; {report.readers - report.attempted:,} settled earlier)"
    )
    click.echo(summary)
    if report.unconfirmed:
        click.echo(
            "unconfirmed: the server took the message but its answer never came; it is "
            "not sent again (see the README)",
            err=True,
        )
    if report.left:
        fail(f"stopped with {report.left:,} reader(s) left: run digest send again to go on")
    if report.failed:
        sys.exit(EXIT_FAILED)


def _progress_line() -> Callable[[int, int], None]:
    last = [0.0]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= 0.25:
            last[0] = now
            click.echo(f"\rsending: {done:,}/{total:,}", err=True, nl=False)

    return show


def _print_delivery_status(settings: Settings, *, several: bool, as_json: bool) -> None:
    from digest.delivery import delivery_status

    rows = delivery_status(settings.outbox)
    if as_json:
        for row in rows:
            click.echo(json.dumps({"newsletter": settings.name, **row.as_dict()}))
        return
    if several:
        click.echo(click.style(settings.name, bold=True))
    if not rows:
        click.echo(f"no issues in {settings.outbox} yet")
    for row in rows:
        counts = (
            f"sent {row.sent:,}, failed {row.failed:,}, unconfirmed {row.unconfirmed:,}, "
            f"pending {row.pending:,}"
        )
        click.echo(
            f"{row.folder.name}  #{row.number}  {row.state}" + (f": {counts}" if row.runs else "")
        )
