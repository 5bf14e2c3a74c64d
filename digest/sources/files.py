"""The file-system edge of the sources stage: walking folders and loading files.

Folders are walked recursively in path order (so a run is reproducible), skipping
dotfiles and dot-folders, and following symbolic links without looping. A file is
stat-ed before it is opened, so an oversized file is never read into memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator

from digest.models import Problem
from digest.sources.base import over_limit_message


class Skipped(Exception):
    """A path that cannot be read; ``str()`` is a one-line reason."""


def walk_folder(folder: str, wanted: Callable[[str], bool]) -> Iterator[str | Problem]:
    """The ``wanted`` files under ``folder`` in path order, and a problem per unreadable folder.

    Sorting each folder's entries by name and descending in place gives the same
    order as sorting every path by its components.
    """
    yield from _walk(folder, wanted, set())


def _walk(
    folder: str, wanted: Callable[[str], bool], seen: set[tuple[int, int]]
) -> Iterator[str | Problem]:
    try:
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in seen:
            return  # a symbolic link back up the tree
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Problem(folder, f"cannot read folder: {_os_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path, wanted, seen)
        elif wanted(entry.name):
            yield entry.path


def load_file(path: str, max_bytes: int) -> bytes:
    """The bytes of the file at ``path``; raises ``Skipped`` if it cannot or must not be read."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            # FIFOs and devices could block or never end; folders are walked elsewhere.
            raise Skipped("skipped: not a regular file")
        if info.st_size > max_bytes:
            raise Skipped(over_limit_message(info.st_size, max_bytes))
        with open(path, "rb") as file:
            # One byte more than allowed catches a file that grew since the stat.
            data = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise Skipped("not found") from None
    except OSError as exc:
        raise Skipped(f"cannot read: {_os_reason(exc)}") from None
    if len(data) > max_bytes:
        raise Skipped(over_limit_message(len(data), max_bytes))
    return data


def _os_reason(exc: OSError) -> str:
    """A reason such as "permission denied", without the errno and the path."""
    if exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return str(exc)
