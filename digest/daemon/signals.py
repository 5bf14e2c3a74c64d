"""SIGTERM and SIGINT for the daemon: stop at once when idle; while an issue is being
made (or a message sent), after it; a second signal abandons it, and the atomic write
leaves nothing behind."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger(__package__)  # "digest.daemon", as its log lines have always read


class _Stopped(BaseException):
    """Raised by the signal handler to leave the loop (a BaseException, so no job's
    ``except Exception`` can swallow it)."""


class StopSignals:
    """SIGTERM and SIGINT: stop at once when idle; while an issue is being made, after
    it (a second signal abandons it, and the atomic write leaves nothing behind)."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        """Set by the first signal while busy: the work in hand ends, then the loop."""
        self._busy = False

    @property
    def stop_requested(self) -> bool:
        return self.stopping.is_set()

    @contextmanager
    def stop_block(self) -> Iterator[None]:
        """The signals stop this block; the handlers that were there come back after."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in _STOP_SIGNALS}
        try:
            yield
        except _Stopped as stop:
            log.info("stopping (%s)", stop.args[0] if stop.args else "signal")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextmanager
    def busy(self) -> Iterator[None]:
        self._busy = True
        try:
            yield
        finally:
            self._busy = False

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self._busy and not self.stop_requested:
            self.stopping.set()
            log.info("%s: finishing the issue in progress, then stopping (again to abort)", name)
            return
        raise _Stopped(name)


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
