"""``digest render``, ``digest summarise`` and ``digest archive``: making issues, and
their web archive."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from digest import clock
from digest.cli.base import (
    EXIT_FAILED,
    EXIT_USAGE,
    StrategyType,
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
    from digest.pipeline import Outcome


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
    chosen = newsletters(settings, newsletter)
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
    if outcome.issue is None and outcome.articles == 0:
        # An empty folder is not "nothing new": there was nothing at all to read.
        log.error("%s%s", prefix, pipeline.no_articles_found(settings))
        return None
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

    chosen = newsletters(load(config), newsletter)
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
