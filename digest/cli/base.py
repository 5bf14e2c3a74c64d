"""The ``digest`` command group and what every subcommand shares.

Commands only wire the stages together (through ``digest.pipeline`` and the stage
modules) and translate outcomes into output and exit codes:

- 0: done (including "nothing new to publish");
- 1: the work failed (a template error, the outbox refused the issue…);
- 2: bad usage or configuration, said in one line with no traceback.

Heavy modules (pydantic, jinja2, trafilatura…) are imported inside the commands, so
``digest --help`` answers at once.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from digest import __version__, logs

if TYPE_CHECKING:
    from digest.config import Settings
    from digest.models import Problem

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


newsletter_option = click.option(
    "--newsletter",
    metavar="NAME",
    help="Only this newsletter, when several are configured ([[newsletters]]).",
)


def newsletters(settings: Settings, newsletter: str | None) -> list[Settings]:
    """The newsletters to work on, or exit 2 naming the configured ones."""
    from digest.config import ConfigError, newsletters_named

    try:
        return newsletters_named(settings, newsletter)
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)


def main() -> None:
    cli(prog_name="digest")
