"""A real SMTP server on 127.0.0.1 for the delivery tests and benchmark (aiosmtpd).

It keeps every message it accepts, and can be told to misbehave the ways real
servers do: refuse some readers for good (550), put some off once (451), drop the
connection after a number of messages, demand a login, or offer STARTTLS.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    to: str
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Behaviour:
    refuse: set[str] = field(default_factory=set)
    """Addresses answered 550 at RCPT."""
    defer_once: set[str] = field(default_factory=set)
    """Addresses answered 451 at RCPT the first time, then accepted."""
    drop_every: int = 0
    """Drop the connection (no answer) at the MAIL after every this many messages."""
    user: str | None = None
    password: str | None = None


class Recorder:
    """The aiosmtpd handler: applies the ``Behaviour`` and keeps what it accepts."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.received: list[Received] = []
        self.deferred: set[str] = set()
        self.greetings = 0
        """EHLO/HELO commands seen: one per connection the client opened."""
        self.lock = threading.Lock()
        self._since_drop = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.greetings += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        every = self.behaviour.drop_every
        if every:
            with self.lock:
                if self._since_drop >= every:
                    self._since_drop = 0
                    server.transport.abort()  # as a crashed or overloaded server would
                    return "421 dropped"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        lower = address.lower()
        if lower in self.behaviour.refuse:
            return "550 5.1.1 No such mailbox"
        with self.lock:
            if lower in self.behaviour.defer_once and lower not in self.deferred:
                self.deferred.add(lower)
                return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            for to in envelope.rcpt_tos:
                self.received.append(Received(to, envelope.original_content or envelope.content))
            self._since_drop += 1
        return "250 2.0.0 Accepted"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == self.behaviour.user
            and data.password.decode() == self.behaviour.password
        )
        return AuthResult(success=ok, handled=False)

    def count(self, to: str) -> int:
        with self.lock:
            return sum(r.to.lower() == to.lower() for r in self.received)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server(
    behaviour: Behaviour | None = None,
    *,
    tls: ssl.SSLContext | None = None,
    implicit_tls: ssl.SSLContext | None = None,
) -> Iterator[tuple[Recorder, int]]:
    """A running server and its port, stopped after the block: STARTTLS required with
    ``tls``, TLS from the first byte with ``implicit_tls``."""
    recorder = Recorder(behaviour or Behaviour())
    options: dict[str, Any] = {}
    if recorder.behaviour.user:
        options |= {"authenticator": recorder.authenticate, "auth_required": True}
        options["auth_require_tls"] = tls is not None or implicit_tls is not None
    if tls is not None:
        options |= {"tls_context": tls, "require_starttls": True}
    if implicit_tls is not None:
        options["ssl_context"] = implicit_tls
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()
