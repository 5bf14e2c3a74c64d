"""Each reader's copy of an issue, made from the ``issue.eml`` the outbox holds.

A copy differs from the written message only where it must: its own ``To``, its own
``Message-ID`` and, when ``unsubscribe_url`` holds ``{token}``, its own signed
unsubscribe URL (in ``List-Unsubscribe`` and in the footer's link). Everything else,
the other headers and the body, is the issue as written, byte for byte: headers are
replaced as raw lines, and a body is only decoded and re-encoded (with the same
quoted-printable encoder ``render`` uses) when a token has to go into it.

The ``Message-ID`` is derived from the issue's and the reader's address, so a copy
sent twice (the one in-flight message a crash can leave unconfirmed, resent by hand)
has the same id both times, and mail systems that deduplicate by it can.
"""

from __future__ import annotations

import binascii
import hashlib
import html
import re
from dataclasses import dataclass
from email.policy import SMTP
from pathlib import Path

from digest.render.eml import url_header_value

_HEADER_POLICY = SMTP.clone(max_line_length=78)
_BOUNDARY = re.compile(rb'boundary="([^"]+)"')


@dataclass(frozen=True)
class Template:
    """A written issue message, split once for making many copies."""

    fields: tuple[bytes, ...]
    """Header fields, each with its continuation lines, without the final CRLF."""
    body: bytes

    @classmethod
    def parse(cls, eml: bytes) -> Template:
        head, _, body = eml.partition(b"\r\n\r\n")
        fields: list[bytes] = []
        for line in head.split(b"\r\n"):
            if line[:1] in (b" ", b"\t") and fields:
                fields[-1] += b"\r\n" + line
            else:
                fields.append(line)
        return cls(tuple(fields), body)

    def header(self, name: str) -> str | None:
        """One header's raw value, unfolded (for ASCII headers such as Message-ID)."""
        wanted = name.lower().encode("ascii")
        for field in self.fields:
            key, _, value = field.partition(b":")
            if key.strip().lower() == wanted:
                return " ".join(value.decode("ascii", "replace").split())
        return None


def personal_copy(
    template: Template,
    *,
    to: str,
    message_id: str,
    unsubscribe: tuple[str, str] | None = None,
) -> bytes:
    """The message for one reader. ``unsubscribe`` is ``(as written, the reader's
    own)``: the unsubscribe URL with ``{token}`` and with the reader's token."""
    replaced = {
        b"to": _fold("To", to),
        b"message-id": _fold("Message-ID", message_id),
    }
    body = template.body
    if unsubscribe is not None:
        written, own = unsubscribe
        # Raw, one line: folded through the header classes, a long URL would become
        # encoded words, which no mail client reads as a one-click unsubscribe URL.
        replaced[b"list-unsubscribe"] = b"List-Unsubscribe: " + url_header_value(own).encode()
        body = _replace_in_parts(body, template, written, own)
    fields = [
        replaced.get(field.partition(b":")[0].strip().lower(), field) for field in template.fields
    ]
    return b"\r\n".join(fields) + b"\r\n\r\n" + body


def reader_message_id(issue_message_id: str, email: str) -> str:
    """``<local.reader-hash@domain>`` from the issue's ``<local@domain>``."""
    local, _, domain = issue_message_id.strip().strip("<>").rpartition("@")
    reader = hashlib.sha256(email.casefold().encode("utf-8")).hexdigest()[:16]
    return f"<{local}.{reader}@{domain}>"


def _fold(name: str, value: str) -> bytes:
    # Through the header classes, so that a name such as "Zoë" becomes an encoded word.
    header = _HEADER_POLICY.header_factory(name, value)
    return header.fold(policy=_HEADER_POLICY).encode("ascii").rstrip(b"\r\n")


def _replace_in_parts(body: bytes, template: Template, written: str, own: str) -> bytes:
    """``body`` with ``written`` replaced by ``own`` in every text part (as is in the
    plain text, HTML-escaped in the HTML)."""
    content_type = template.header("Content-Type") or ""
    match = _BOUNDARY.search(content_type.encode("ascii", "replace"))
    if match is None:  # a single-part message
        return _replace_in_part(body, written, own)
    delimiter = b"--" + match.group(1)
    pieces = body.split(delimiter)
    # pieces: preamble, then each part as "\r\n<headers>\r\n\r\n<payload>\r\n", then "--\r\n"
    for index in range(1, len(pieces) - 1):
        head, sep, payload = pieces[index].partition(b"\r\n\r\n")
        if b"quoted-printable" in head.lower():
            trailing = payload[len(payload.rstrip(b"\r\n")) :]
            payload = _replace_in_part(payload[: len(payload) - len(trailing)], written, own)
            pieces[index] = head + sep + payload + trailing
    return delimiter.join(pieces)


def _replace_in_part(payload: bytes, written: str, own: str) -> bytes:
    text = binascii.a2b_qp(payload).decode("utf-8")
    wanted = {written: own, html.escape(written): html.escape(own)}
    pattern = "|".join(re.escape(old) for old in sorted(wanted, key=len, reverse=True))
    text = re.sub(pattern, lambda match: wanted[match.group(0)], text)  # one pass
    return binascii.b2a_qp(text.encode("utf-8"), istext=True)


def dkim_sign(message: bytes, *, key_file: Path, selector: str, domain: str) -> bytes:
    """``message`` with a DKIM-Signature header first (dkimpy, relaxed/relaxed)."""
    import dkim

    headers = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version"]
    headers += [b"list-id", b"list-unsubscribe", b"list-unsubscribe-post", b"content-type"]
    signature = dkim.sign(
        message,
        selector.encode("ascii"),
        domain.encode("ascii"),
        key_file.read_bytes(),
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=headers,
    )
    return signature.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n") + message
