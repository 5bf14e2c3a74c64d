"""The ``digest`` command: every subcommand and option, in one readable file.

Commands only wire the stages together (through ``digest.pipeline``) and translate
outcomes into output and exit codes:

- 0: done (including "nothing new to publish");
- 1: the work failed (a template error, the outbox refused the issue…);
- 2: bad usage or configuration, said in one line with no traceback.

Heavy modules (pydantic, jinja2, trafilatura…) are imported inside the commands, so
``digest --help`` answers at once.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from digest import __version__, clock, logs

if TYPE_CHECKING:
    from digest.config import Settings
    from digest.models import Problem
    from digest.pipeline import Outcome

log = logging.getLogger("digest")

EXIT_FAILED = 1
EXIT_USAGE = 2


class StrategyType(click.ParamType):
    """A lead strategy, checked against the summariser's own list. The list is imported
    only when this option is shown or used, so that ``digest --help`` stays quick."""

    name = "strategy"

    @staticmethod
    def choices() -> tuple[str, ...]:
        from digest.summarise import STRATEGIES

        return STRATEGIES

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "[" + "|".join(self.choices()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if value not in self.choices():
            self.fail(
                f"{value!r} is not one of {', '.join(map(repr, self.choices()))}", param, ctx
            )
        return str(value)


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    click.echo(f"digest: error: {message}", err=True)
    sys.exit(code)


def load(config: Path | None, **flags: Any) -> Settings:
    """Settings for a command, or exit 2 with the configuration problem."""
    from digest.config import ConfigError, load_settings

    try:
        return load_settings(config, **flags)
    except ConfigError as exc:
        for line in str(exc).splitlines():
            click.echo(f"digest: error: {line}", err=True)
        sys.exit(EXIT_USAGE)


def report_problems(problems: list[Problem]) -> None:
    for problem in problems:
        if problem.level == "error":
            log.warning("%s", problem)
        else:
            log.info("note: %s", problem)


config_option = click.option(
    "--config",
    "-c",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Settings file.  [default: ./digest.toml when present]",
)


@click.group(context_settings={"max_content_width": 100})
@click.version_option(__version__, prog_name="digest")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default="info",
    show_default=True,
    help="How much progress to report on stderr.",
)
def cli(log_level: str) -> None:
    """Turn a folder of articles and feeds into a dated email issue.

    Reads the sources named in digest.toml (plain text, Markdown, HTML pages,
    RSS/Atom feeds, files or URLs), summarises each article into a digest item,
    and writes the next numbered issue as HTML, plain text and a ready-to-send
    .eml into its own dated folder in the outbox.

    \b
    Start with:
      digest render            make the next issue from the configured sources
      digest summarise FILE    see the digest item one article gives
      digest preview           look at issues and the next draft in a browser
      digest check             check the newest issue before it is sent
      digest run               publish on schedule (see the schedule setting)
    """
    logs.use_terminal(log_level)


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@config_option
@click.option(
    "--sources",
    "-s",
    "source_options",
    multiple=True,
    metavar="PATH",
    help="A source file, folder or URL (repeatable; PATH arguments count too). "
    "Replaces the configured sources.",
)
@click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder the issue is written into.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Date the issue instead of today (in the newsletter's time zone).",
)
@click.option(
    "--all",
    "include_published",
    is_flag=True,
    help="Include items that were already in an earlier issue.",
)
@click.option("--stdout", is_flag=True, help="Print the issue instead of writing it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "text", "eml"]),
    default="html",
    show_default=True,
    help="What --stdout prints.",
)
@click.option("--lead-words", type=int, help="Word budget for each lead.")
@click.option("--max-items", type=int, help="At most this many items in the issue.")
@click.option(
    "--newsletter",
    metavar="NAME",
    help="Only this newsletter, when several are configured ([[newsletters]]).",
)
def render(
    paths: tuple[str, ...],
    config: Path | None,
    source_options: tuple[str, ...],
    outbox: Path | None,
    day: datetime | None,
    include_published: bool,
    stdout: bool,
    fmt: str,
    lead_words: int | None,
    max_items: int | None,
    newsletter: str | None,
) -> None:
    """Make the next issue and write it to the outbox.

    Prints the new issue's folder. Items published in an earlier issue are
    left out (see --all); with nothing new, says so and writes nothing.

    \b
    Examples:
      digest render
      digest render --sources seeds/ --sources https://example.com/feed.xml
      digest render --stdout --format text | less
    """
    sources = [*source_options, *paths] or None
    settings = load(
        config, sources=sources, outbox=outbox, lead_words=lead_words, max_items=max_items
    )
    chosen = _newsletters(settings, newsletter)
    if stdout and len(chosen) > 1:
        fail("several newsletters are configured: choose one with --newsletter", EXIT_USAGE)

    now = clock.now()
    failed = False
    for each in chosen:
        outcome = _render_newsletter(
            each,
            now=now,
            day=day.date() if day else None,
            all_items=include_published,
            stdout=stdout,
            prefix=f"{each.name}: " if len(chosen) > 1 else "",
        )
        if outcome is None:
            failed = True
        elif stdout and outcome.rendered is not None:
            if fmt == "eml":
                sys.stdout.buffer.write(outcome.rendered.eml)
                sys.stdout.flush()
            else:
                text = outcome.rendered.html if fmt == "html" else outcome.rendered.text
                click.echo(text, nl=False)
        elif outcome.folder is not None:
            click.echo(str(outcome.folder))
    if failed:
        sys.exit(EXIT_FAILED)


def _render_newsletter(
    settings: Settings,
    *,
    now: datetime,
    day: date | None,
    all_items: bool,
    stdout: bool,
    prefix: str = "",
) -> Outcome | None:
    """One newsletter's next issue, drafted or published; ``None`` if it failed."""
    from digest import pipeline
    from digest.outbox import OutboxError
    from digest.render import TemplateProblem

    log.info("%sreading %d source(s)…", prefix, len(settings.sources))
    make = pipeline.draft if stdout else pipeline.publish
    try:
        outcome = make(settings, now=now, day=day, include_published=all_items)
    except pipeline.NoArticles as exc:
        report_problems(exc.problems)
        log.error("%s%s: nothing to publish", prefix, exc)
        return None
    except TemplateProblem as exc:
        log.error("template error: %s", exc)
        return None
    except OutboxError as exc:
        log.error("%s", exc)
        return None
    except OSError as exc:
        log.error("%s: %s", exc.filename or settings.outbox, exc.strerror or exc)
        return None
    report_problems(outcome.problems)
    if outcome.issue is None:
        log.info("%snothing new to publish: every item is already in an earlier issue", prefix)
    else:
        log.info(
            "%sissue #%d of %s: %d item(s)",
            prefix,
            outcome.issue.number,
            outcome.issue.date.isoformat(),
            len(outcome.issue.items),
        )
    return outcome


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@config_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--lead-words", type=int, help="Word budget for each lead.")
@click.option(
    "--strategy",
    type=StrategyType(),
    help="How the lead is chosen (see lead_strategy in the README).",
)
def summarise(
    paths: tuple[str, ...],
    config: Path | None,
    as_json: bool,
    lead_words: int | None,
    strategy: str | None,
) -> None:
    """Print the digest item each source gives: title, lead and headings.

    For checking a source before it goes out, and for the summariser benchmark.
    PATH is a file, a folder or a URL.
    """
    settings = load(config, lead_words=lead_words, lead_strategy=strategy)
    from digest.pipeline import summarise_all
    from digest.sources import read_sources

    report = read_sources(list(paths), max_bytes=settings.max_source_bytes)
    report_problems(report.problems)
    for item in summarise_all(report.articles, settings):
        if as_json:
            click.echo(json.dumps(item.model_dump(mode="json"), ensure_ascii=False))
            continue
        click.echo(click.style(item.title, bold=True))
        click.echo(f"  source:   {item.source}")
        if item.url:
            click.echo(f"  url:      {item.url}")
        click.echo(f"  id:       {item.id}")
        click.echo(f"  length:   {item.word_count} words, {item.reading_minutes} min read")
        if item.headings:
            click.echo(f"  headings: {' · '.join(item.headings)}")
        click.echo(f"  lead:     {item.lead}\n")
    if report.problems and not report.articles:
        sys.exit(EXIT_FAILED)


# --- the daemon: `digest run` and `digest status` (issue 3) --------------------------


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


# --------------------------------------------------------------------------- preview and check
# `digest preview` and `digest check` (issue 4): the server lives in digest.preview,
# the rules in digest.check, an issue's files in digest.outbox; all are imported
# inside the commands.


if TYPE_CHECKING:
    from digest.delivery import Recipient
    from digest.outbox import IssueFiles

newsletter_option = click.option(
    "--newsletter",
    metavar="NAME",
    help="Only this newsletter, when several are configured ([[newsletters]]).",
)


def _newsletters(settings: Settings, newsletter: str | None) -> list[Settings]:
    """The newsletters to work on, or exit 2 naming the configured ones."""
    from digest.config import ConfigError, newsletters_named

    try:
        return newsletters_named(settings, newsletter)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)


@cli.command()
@config_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback exposes your drafts.",
)
@click.option(
    "--port",
    default=8400,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="0: any free port.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@newsletter_option
def preview(
    config: Path | None, host: str, port: int, open_browser: bool, newsletter: str | None
) -> None:
    """Show every issue, and a live draft of the next one, in the browser.

    With several newsletters configured, the start page lists each one's issues
    and draft (only the one chosen with --newsletter, if given). Read-only: nothing
    is written to an outbox. Pages update by themselves when a template, a source
    or the configuration changes.
    """
    _newsletters(load(config), newsletter)  # a bad configuration or name: exit code 2
    import contextlib
    import webbrowser

    from digest.preview import PreviewServer, is_loopback

    if not is_loopback(host):
        log.warning(
            "listening on %s: anyone who can reach this address can read your issues and drafts",
            host,
        )
    url_box: list[str] = []
    try:
        server = PreviewServer(
            config,
            host=host,
            port=port,
            newsletter=newsletter,
            on_ready=(lambda: webbrowser.open(url_box[0])) if open_browser else None,
        )
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", EXIT_USAGE)
    url_box.append(server.url)
    click.echo(f"digest preview: {server.url}  (Ctrl-C to stop)")
    # uvicorn re-raises Ctrl-C after its clean shutdown; stopping is not a failure.
    with contextlib.suppress(KeyboardInterrupt):
        server.serve()


@cli.command()
@click.argument("issue", required=False, metavar="[ISSUE]")
@config_option
@click.option("--draft", is_flag=True, help="Check the next issue instead, without writing it.")
@newsletter_option
def check(issue: str | None, config: Path | None, draft: bool, newsletter: str | None) -> None:
    """Check an issue before it is sent; exit 1 if any check finds an error.

    ISSUE is a folder name (2026-11-24-001), an issue number or a path to an issue
    folder; the default is the newest issue in the outbox. With several newsletters
    configured, the newest issue of each is checked; choose one with --newsletter to
    check a given ISSUE or its --draft.
    """
    if draft and issue:
        fail("give an ISSUE or --draft, not both", EXIT_USAGE)
    chosen = _newsletters(load(config), newsletter)
    if issue and len(chosen) > 1 and Path(issue).is_dir():
        # A path names its newsletter by the outbox it sits in.
        parent = Path(issue).resolve().parent
        chosen = [e for e in chosen if e.outbox.resolve() == parent] or chosen
    several = len(chosen) > 1
    if several and (issue or draft):
        names = ", ".join(repr(e.name) for e in chosen)
        what = "--draft" if draft else "an ISSUE"
        fail(
            f"several newsletters are configured ({names}): choose one with --newsletter "
            f"to check {what}",
            EXIT_USAGE,
        )
    if draft:
        failed = _check_draft(chosen[0])
    else:
        from digest.outbox import find_issue

        folders = [(e, find_issue(e.outbox, issue)) for e in chosen]
        if all(folder is None for _, folder in folders):
            outboxes = ", ".join(str(e.outbox) for e in chosen)
            fail(
                f"no issue {issue!r} in {outboxes}"
                if issue
                else f"no issues in {outboxes} (check the next one with --draft)",
                EXIT_USAGE,
            )
        failed = False
        for each, folder in folders:
            prefix = f"{each.name}: " if several else ""
            if folder is None:
                click.echo(f"{prefix}no issues in {each.outbox} yet")
                continue
            failed |= _check_folder(each, folder, prefix)
    if failed:
        sys.exit(EXIT_FAILED)


def _check_draft(settings: Settings) -> bool:
    """Check the next issue without writing it; ``True`` if it has an error."""
    from digest import pipeline
    from digest.outbox import files_from_rendered
    from digest.render import TemplateProblem

    try:
        outcome = pipeline.draft(settings, now=clock.now())
    except TemplateProblem as exc:
        fail(f"template error: {exc}")
    except pipeline.NoArticles as exc:
        report_problems(exc.problems)
        fail(f"{exc}: no draft to check")
    report_problems(outcome.problems)
    if outcome.issue is None or outcome.rendered is None:
        log.info("nothing new to publish: no draft to check")
        return False
    files = files_from_rendered(outcome.issue, outcome.rendered)
    return _report(files, settings, f"draft of issue #{outcome.issue.number}")


def _check_folder(settings: Settings, folder: Path, prefix: str = "") -> bool:
    from digest.outbox import load_issue_files

    return _report(load_issue_files(folder), settings, f"{prefix}{folder}")


def _report(files: IssueFiles, settings: Settings, label: str) -> bool:
    """Print the findings and a summary line; ``True`` if there is an error."""
    from digest.check import has_errors, run_checks

    findings = run_checks(files, settings)
    colours = {"error": "red", "warning": "yellow"}
    for finding in findings:
        severity = click.style(finding.severity, fg=colours[finding.severity], bold=True)
        click.echo(f"{severity}: {finding.check}: {finding.message}")
    errors = sum(f.severity == "error" for f in findings)
    summary = f"{errors} error(s), {len(findings) - errors} warning(s)" if findings else "ok"
    click.echo(f"{label}: {summary}")
    return has_errors(findings)


# --------------------------------------------------------------------------- send
# `digest send`: delivery lives in digest.delivery, imported inside the command.


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
    chosen = _newsletters(load(config), newsletter)
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


# --------------------------------------------------------------------------- the web archive


@cli.command()
@config_option
@newsletter_option
def archive(config: Path | None, newsletter: str | None) -> None:
    """Rebuild the web archive from the issues in the outbox.

    Writes outbox/archive/: index.html (every issue, newest first), one page per
    issue and feed.xml (Atom), from the issue folders' issue.json files alone,
    re-rendering every page with the current templates. Prints each file it wrote
    (a file whose bytes are unchanged is left alone). Publish the folder as it is:
    it never holds or links anything of the issue folders. Each new issue updates
    it by itself; run this after changing the templates or archive_url.
    """
    from digest.archive import write_archive
    from digest.render import TemplateProblem

    chosen = _newsletters(load(config), newsletter)
    failed = False
    for each in chosen:
        prefix = f"{each.name}: " if len(chosen) > 1 else ""
        try:
            result = write_archive(each)
        except TemplateProblem as exc:
            log.error("%stemplate error: %s", prefix, exc)
            failed = True
            continue
        except OSError as exc:
            log.error("%s%s: %s", prefix, exc.filename or each.outbox, exc.strerror or exc)
            failed = True
            continue
        report_problems(result.problems)
        for path in result.written:
            click.echo(str(path))
        if not result.issues:
            log.info("%sno issues in %s: nothing to archive", prefix, each.outbox)
        else:
            changed = f"{len(result.written)} file(s) written" if result.written else "unchanged"
            log.info("%s%s: %d issue(s), %s", prefix, result.folder, result.issues, changed)
    if failed:
        sys.exit(EXIT_FAILED)


def main() -> None:
    cli(prog_name="digest")
