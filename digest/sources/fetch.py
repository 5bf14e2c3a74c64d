"""Fetching http(s) sources: the network edge of the sources stage.

Standard library only (``urllib``), so that reading local files never imports an
HTTP client: ``digest.sources`` imports this module only when a URL is read. Every
failure becomes a ``FetchError`` whose message is ready for a one-line ``Problem``.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO
from urllib.parse import urlsplit

from digest import __version__
from digest.sources.base import format_size, one_line, over_limit_message

USER_AGENT = f"digest/{__version__}"
_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, "
    "text/html;q=0.9, text/markdown;q=0.8, text/plain;q=0.8, */*;q=0.5"
)
SCHEMES = ("http", "https")
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is a one-line reason."""


@dataclass(frozen=True)
class Response:
    """A successful response, body already read in full."""

    url: str
    """The final URL, after redirects."""
    media_type: str
    """The ``Content-Type`` without parameters, lower case; ``""`` if not sent."""
    charset: str | None
    body: bytes


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, but never to another scheme than http or https."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise FetchError(f"HTTP {code}: redirect to a non-HTTP URL {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int, timeout: float) -> Response:
    """GET ``url``, following redirects, reading at most ``max_bytes`` of body."""
    if urlsplit(url).scheme.lower() not in SCHEMES:
        raise FetchError("only http:// and https:// URLs can be read")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT})
    opener = urllib.request.build_opener(_HttpOnlyRedirects())
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
            if not 200 <= status < 300:
                raise FetchError(f"HTTP {status} {response.reason}".rstrip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(over_limit_message(int(declared), max_bytes))
            body = _read_body(response, max_bytes, timeout)
            final_url = response.geturl()
            media_type = (
                response.headers.get_content_type() if "Content-Type" in response.headers else ""
            )
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}".rstrip()) from None
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot fetch: {_reason(exc.reason, timeout)}") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(f"cannot fetch: {_reason(exc, timeout)}") from None
    return Response(url=final_url, media_type=media_type, charset=charset, body=body)


def _read_body(response: http.client.HTTPResponse, max_bytes: int, timeout: float) -> bytes:
    """The body, if it is at most ``max_bytes`` and arrives within ``timeout`` seconds.

    The socket timeout only bounds each wait, so a server trickling a byte at a time
    could hold a read open for ever; the deadline bounds the whole download.
    """
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"skipped: response is over the {format_size(max_bytes)} limit")
        if time.monotonic() > deadline:
            raise FetchError(f"cannot fetch: timed out after {timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, OSError) and reason.strerror:
        # "connection refused" rather than "[Errno 111] Connection refused".
        return reason.strerror[0].lower() + reason.strerror[1:]
    text = one_line(str(reason))
    return text or type(reason).__name__
