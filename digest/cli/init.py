"""``digest init``: a new newsletter folder, ready for ``digest render``."""

from __future__ import annotations

from pathlib import Path

import click

from digest.cli.base import EXIT_USAGE, cli, fail


@cli.command()
@click.argument(
    "folder", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]"
)
@click.option("--name", metavar="NAME", help='The newsletter\'s name, e.g. "Weekly Brief".')
def init(folder: Path, name: str | None) -> None:
    """Make a newsletter folder: digest.toml, seeds/, templates/ and outbox/.

    digest.toml lists every setting with what it does and its default; seeds/
    holds one sample article, so `digest render` works in DIR at once. A file
    that is already there is never overwritten: it is kept and listed.

    \b
    Examples:
      digest init weekly --name "Weekly Brief"
      cd weekly && digest render
    """
    from digest.scaffold import scaffold

    if name is not None and not " ".join(name.split()):
        fail("--name must not be empty", EXIT_USAGE)
    try:
        done = scaffold(folder, name)
    except OSError as exc:
        fail(f"{folder}: cannot make the newsletter folder ({exc.strerror or exc})")
    for path in done.created:
        click.echo(f"created {_shown(path, folder)}")
    for path in done.kept:
        click.echo(f"kept    {_shown(path, folder)} (already there, left as it was)")
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    click.echo(f"next: {where}digest render")


def _shown(path: Path, folder: Path) -> str:
    relative = path.relative_to(folder).as_posix()
    return relative + "/" if path.is_dir() else relative
