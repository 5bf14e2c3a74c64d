"""One SMTP connection, reused for many messages, and what a server's answer means.

``Connection.send`` runs one mail transaction by hand (MAIL, RCPT, DATA) rather
than through ``smtplib.sendmail``, for one reason: the caller must record the
moments just before and just after the final ``.`` that commits the message, with
its body already on the wire. A message whose ``.`` was handed over but whose answer
never came is ``InDoubt``; one whose connection dropped before that was not sent.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digest.config import Settings

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_LEADING_DOT = re.compile(rb"(?m)^\.")


class SendFailed(Exception):
    """Nothing can be sent this run (the login was refused, TLS failed, the server
    cannot be reached); ``str()`` is one line naming the server and the cause."""


class Dropped(Exception):
    """The connection failed before the message was handed over: it was not sent."""


class InDoubt(Exception):
    """The message was handed over, but the server's answer never came."""


@dataclass(frozen=True)
class Reply:
    code: int
    text: str

    @property
    def accepted(self) -> bool:
        return 200 <= self.code < 300

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


def server_label(settings: Settings) -> str:
    return f"{settings.smtp_host}:{port_of(settings)}"


def port_of(settings: Settings) -> int:
    return settings.smtp_port or DEFAULT_PORTS[settings.smtp_security]


class Connection:
    """A connection to ``settings``' SMTP server, opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    @property
    def is_open(self) -> bool:
        return self._smtp is not None

    def open(self) -> None:
        """Connect, secure and log in; ``SendFailed`` for a refusal that retrying
        cannot fix, ``Dropped`` for one that it might (a busy server, a timeout)."""
        settings, label = self.settings, server_label(self.settings)
        host, port, timeout = settings.smtp_host, port_of(settings), settings.smtp_timeout
        try:
            if settings.smtp_security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    host, port, timeout=timeout, context=self._tls()
                )
            else:
                smtp = smtplib.SMTP(host, port, timeout=timeout)
                if settings.smtp_security == "starttls":
                    smtp.starttls(context=self._tls())
            _no_delay(smtp)
            smtp.ehlo_or_helo_if_needed()
            if settings.smtp_user:
                secret = settings.smtp_password
                smtp.login(settings.smtp_user, secret.get_secret_value() if secret else "")
        except smtplib.SMTPAuthenticationError as exc:
            raise SendFailed(
                f"{label}: the server refused the login for {settings.smtp_user!r} "
                f"({_said(exc)}); check DIGEST_SMTP_USER and DIGEST_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise SendFailed(f"{label}: {exc} (see smtp_security)") from None
        except ssl.SSLError as exc:
            raise SendFailed(f"{label}: TLS failed: {exc.reason or exc}") from None
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise Dropped(f"{label}: {_said(exc)}") from None
            raise SendFailed(
                f"{label}: the server refused the connection ({_said(exc)})"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise Dropped(f"{label}: cannot connect ({exc or type(exc).__name__})") from None
        self._smtp = smtp

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.settings.smtp_ca_file is not None:
            context.load_verify_locations(cafile=self.settings.smtp_ca_file)
        return context

    def send(self, sender: str, to: str, message: bytes, mark: Callable[[bool], None]) -> Reply:
        """One message to one address. ``mark(False)`` runs just before the final
        ``.`` is written, ``mark(True)`` just after."""
        if self._smtp is None:
            self.open()
        smtp = self._smtp
        assert smtp is not None
        try:
            for command in (lambda: smtp.mail(sender), lambda: smtp.rcpt(to)):
                reply = Reply(*_text(command()))
                if not reply.accepted:
                    return self._refused(reply)
            reply = Reply(*_text(smtp.docmd("DATA")))
            if reply.code != 354:
                return self._refused(reply)
            body = _LEADING_DOT.sub(b"..", message)
            smtp.send(body if body.endswith(b"\r\n") else body + b"\r\n")
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise Dropped(f"connection lost ({exc or type(exc).__name__})") from None
        mark(False)
        try:
            smtp.send(b".\r\n")
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise Dropped(f"connection lost ({exc or type(exc).__name__})") from None
        mark(True)
        try:
            reply = Reply(*_text(smtp.getreply()))
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise InDoubt(f"no answer after the message ({exc or type(exc).__name__})") from None
        if reply.code == 421:
            self.close()
        return reply

    def _refused(self, reply: Reply) -> Reply:
        if reply.code == 421:  # the server is closing the connection
            self.close()
            return reply
        try:
            assert self._smtp is not None
            self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()
        return reply

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (TimeoutError, OSError, smtplib.SMTPException):
            smtp.close()


def _no_delay(smtp: smtplib.SMTP) -> None:
    """Turn off Nagle's algorithm on ``smtp``'s socket. ``send`` writes the final
    ``.`` on its own, after the body, so that the ledger can mark the moments around
    it; with Nagle on, that small write waits in the kernel until the body's last
    segment is acknowledged, and the server delays that acknowledgement (up to
    40 ms on Linux), which cost every message one such wait."""
    with contextlib.suppress(AttributeError, OSError):  # not a TCP socket: no Nagle
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _text(reply: tuple[int, bytes]) -> tuple[int, str]:
    code, text = reply
    return code, " ".join(text.decode("utf-8", "replace").split())


def _said(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{exc.smtp_code} {' '.join(said.split())}"
