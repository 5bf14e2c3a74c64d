"""The preview's server: a listening socket, and uvicorn serving the app on it.

This module owns running ``digest preview``: binding the socket before anything
else (so port 0 yields a real port to print and to check ``Host`` headers
against), whether an address is loopback (the cli warns beyond it), and
``PreviewServer``, which serves in the foreground or in a background thread.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from digest.preview.app import create_app
from digest.preview.links import LinkPolicy
from digest.preview.state import PreviewState

if TYPE_CHECKING:
    import uvicorn


def is_loopback(host: str) -> bool:
    """``host`` is reachable only from this machine (the cli warns otherwise)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free one)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class PreviewServer:
    """``digest preview``: bind now, serve in the foreground (``serve``) or in a
    background thread (``start``/``stop``, for tests and embedding)."""

    def __init__(
        self,
        config: Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        newsletter: str | None = None,
        on_ready: Callable[[], None] | None = None,
        link_policy: LinkPolicy | None = None,
    ) -> None:
        self.host = host
        self.socket = bind(host, port)
        self.port: int = self.socket.getsockname()[1]
        self.state = PreviewState(config, newsletter)
        self.app = create_app(
            self.state, bind_host=host, port=self.port, on_ready=on_ready, link_policy=link_policy
        )
        self._server = self._make_server()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def _make_server(self) -> uvicorn.Server:
        import uvicorn

        state = self.state

        class _Server(uvicorn.Server):
            async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
                # End the event streams first, or shutdown waits for them to time out.
                await state.stop()
                await super().shutdown(sockets)

        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
            server_header=False,
        )
        return _Server(config)

    def serve(self) -> None:
        """Serve until interrupted (Ctrl-C)."""
        self._server.run(sockets=[self.socket])

    def start(self, timeout: float = 30.0) -> None:
        """Serve in a background thread; return once it answers requests."""
        self._thread = threading.Thread(target=self.serve, name="digest-preview", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the preview server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop a server ``start`` started, and close its socket."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.socket.close()
