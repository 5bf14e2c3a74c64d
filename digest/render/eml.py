"""The issue as a message: the ``.eml`` with its headers, deterministic to the byte.

``build_eml`` makes the multipart/alternative message (text first, HTML last, both
UTF-8 quoted-printable) with its list headers and its Content-Language; the helpers
keep every header clean and one line: the subject folded between words, the List-Id
phrase without specials, a ``message_id`` stable per issue.

Line ends: in the ``.eml`` the bodies travel with CRLF line ends, as RFC 5322
requires, so a part decoded from the message equals the ``html`` or ``text`` string
once ``"\\r\\n"`` is read as ``"\\n"``.
"""

from __future__ import annotations

import re
import textwrap
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from digest.config import Settings
from digest.issue import one_line
from digest.models import Issue
from digest.render.quotes import curl_quotes
from digest.render.text import TEXT_WIDTH, canonical_lines

if TYPE_CHECKING:
    from email.message import EmailMessage


def build_eml(issue: Issue, settings: Settings, html: str, text: str) -> bytes:
    """A multipart/alternative message (text first, HTML last), CRLF line ends.

    Both parts are UTF-8 quoted-printable, so no line on the wire exceeds 76
    octets. The output is deterministic: the same issue gives the same bytes.
    """
    import binascii
    import hashlib
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    # refold_source="none": a value set raw (set_raw) goes out as it is; every other
    # header is still folded by its own header class.
    policy = SMTP.clone(max_line_length=TEXT_WIDTH, refold_source="none")
    parts = []
    for subtype, body in (("plain", text), ("html", html)):
        part = EmailMessage(policy=policy)
        part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
        part["Content-Transfer-Encoding"] = "quoted-printable"
        # binascii's C encoder: the pure-Python one in email takes ~10 ms per issue.
        encoded = binascii.b2a_qp(canonical_lines(body).encode("utf-8"), istext=True)
        part.set_payload(encoded.decode("ascii"))
        parts.append(part)

    msg = EmailMessage(policy=policy)
    msg["From"] = one_line(settings.sender)
    msg["To"] = one_line(settings.to)
    _set_subject(msg, curl_quotes(one_line(issue.subject)))  # as the view shows it
    msg["Date"] = format_datetime(_aware(issue.created_at, settings))
    msg["Message-ID"] = message_id(issue, settings)
    msg["MIME-Version"] = "1.0"
    msg["Content-Language"] = settings.language  # RFC 3282: the readers' language
    msg["List-Id"] = f"{_phrase(settings.name)} {settings.list_id}".strip()
    if settings.unsubscribe_url:
        msg.set_raw("List-Unsubscribe", url_header_value(settings.unsubscribe_url))
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if settings.archive_url:
        msg.set_raw("List-Archive", url_header_value(f"{settings.archive_url}/index.html"))
    # A quoted-printable body can never contain "=_", so this boundary cannot clash;
    # deriving it from the content keeps re-renders byte-identical.
    fingerprint = hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:32]
    msg["Content-Type"] = f'multipart/alternative; boundary="=_digest_{fingerprint}"'
    msg.set_payload(parts)
    return msg.as_bytes()


def url_header_value(url: str) -> str:
    """``<url>`` for List-Unsubscribe and List-Archive (RFC 2369), on one line however
    long: the header classes would turn a long URL into encoded words, which mail
    clients do not read as a URL (no one-click unsubscribe). Characters outside ASCII
    are percent-encoded, as a header must be ASCII."""
    return f"<{quote(url, safe=_URL_SAFE)}>"


_URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '<>"\\^`{|}') + "{}"


def _set_subject(msg: EmailMessage, subject: str) -> None:
    """Set Subject, folding a long ASCII subject between words ourselves.

    CPython's folder moves an ASCII value that fits on a continuation line there
    whole, leaving ``Subject:`` empty; parsers then read it back with a leading space.
    Non-ASCII subjects become encoded words and fold correctly, so they keep the
    standard path.
    """
    width = TEXT_WIDTH - len("Subject: ")
    if not subject.isascii() or len(subject) <= width:
        msg["Subject"] = subject
        return
    lines = textwrap.wrap(subject, width=width, break_long_words=False, break_on_hyphens=False)
    msg.set_raw("Subject", "\n ".join(lines))


def message_id(issue: Issue, settings: Settings) -> str:
    """Stable per issue, unique per newsletter: re-rendering keeps the same id."""
    return f"<{settings.slug}.{issue.number:04d}.{issue.date:%Y%m%d}@{settings.sender_domain}>"


def _aware(moment: datetime, settings: Settings) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.zone)


def _phrase(name: str) -> str:
    """The newsletter name as an RFC 5322 phrase for List-Id (specials dropped,
    since a quoted string could not carry the encoded words non-ASCII needs)."""
    return " ".join(re.sub(r"[()<>\[\]:;@\\,.\"]", " ", one_line(name)).split())
