"""``digest preview`` and ``digest check``: looking at issues before they go out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from digest import clock
from digest.cli.base import (
    EXIT_FAILED,
    EXIT_USAGE,
    cli,
    config_option,
    fail,
    load,
    log,
    newsletter_option,
    newsletters,
    report_problems,
)

if TYPE_CHECKING:
    from digest.config import Settings
    from digest.outbox import IssueFiles


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
    newsletters(load(config), newsletter)  # a bad configuration or name: exit code 2
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
    chosen = newsletters(load(config), newsletter)
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
    if outcome.issue is None and outcome.articles == 0:
        fail(f"{pipeline.no_articles_found(settings)}: no draft to check")
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
