"""Per-reader unsubscribe tokens: signed, so a site can trust the address in them.

A token is ``<address>.<signature>``, both base64url without padding: the reader's
address (UTF-8), and the first 16 bytes of HMAC-SHA256 over ``<list id>\\n<address>``
keyed with ``unsubscribe_secret``. The list id (``<the-digest.example.com>``) is in
it so that a token for one newsletter cannot unsubscribe a reader from another. Any
language can check one; ``verify_token`` is the reference.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

PLACEHOLDER = "{token}"
"""Where ``unsubscribe_url`` wants each reader's token."""
_SIGNATURE_BYTES = 16


def make_token(secret: str, list_id: str, email: str) -> str:
    return f"{_b64(email.encode('utf-8'))}.{_b64(_signature(secret, list_id, email))}"


def verify_token(secret: str, list_id: str, token: str) -> str | None:
    """The address ``token`` was made for, or ``None`` if it is not genuine."""
    address, _, signature = token.partition(".")
    try:
        email = _unb64(address).decode("utf-8")
        given = _unb64(signature)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return email if hmac.compare_digest(given, _signature(secret, list_id, email)) else None


def personal_url(template: str, token: str) -> str:
    return template.replace(PLACEHOLDER, token)


def _signature(secret: str, list_id: str, email: str) -> bytes:
    message = f"{list_id}\n{email}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text:
        raise ValueError("empty")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
