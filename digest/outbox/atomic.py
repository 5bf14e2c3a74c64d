"""Writing files so that a reader sees all of one or nothing of it.

``write_synced`` writes and fsyncs one file, ``fsync_dir`` makes a folder's entries
(a rename, a new file) durable, and ``replace_file`` puts new bytes at a path
atomically (written aside under a dot-name, fsynced, renamed over the old file).
``umask`` is the process's umask, read once, for the permissions of what is made
through ``tempfile`` (which makes everything private).
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path


def replace_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` atomically: written and fsynced under a temporary
    dot-name in the same folder, then renamed over the old file, so a reader (or a web
    server) sees the old file or the new one, never half of one. Leftovers of a
    crash are dot-files ending ``.tmp``, never the file itself."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        # mkstemp makes the file private (0600); like any file the user creates, it
        # must be readable by a web server running as another user.
        os.chmod(temporary, 0o666 & ~umask())
        write_synced(Path(temporary), data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


@functools.cache
def umask() -> int:
    # os.umask can only be read by setting it; do that once, before any thread
    # could be creating files under the temporary value.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
