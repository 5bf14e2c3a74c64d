"""A benchmark's loopback server in a process of its own (so it never shares the GIL
with what is measured), spoken to over its stdin and stdout.

The server's code prints its port on start, then answers each line on stdin with one
JSON line (``reset``: what it counted since the last reset); it stops at end of input.
"""

from __future__ import annotations

import json
import subprocess
import sys


class CountingServer:
    def __init__(self, code: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._in, self._out = self.process.stdin, self.process.stdout
        self.port = int(self._out.readline())

    def take_count(self) -> dict[str, int]:
        """What the server counted since the last call."""
        self._in.write("reset\n")
        self._in.flush()
        return json.loads(self._out.readline())

    def stop(self) -> None:
        self._in.close()
        self.process.wait(10)
