"""Fetching http(s) sources: the network edge of the sources stage.

Standard library only (``urllib``), so that reading local files never imports an
HTTP client: ``digest.sources`` imports this module only when a URL is read. Every
failure becomes a ``FetchError`` whose message is ready for a one-line ``Problem``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
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


Resolver = Callable[[str], Iterable[str]]
"""A host name's addresses, as strings; raises ``OSError`` for a name that has none."""


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


def resolve_host(host: str) -> list[str]:
    """The addresses ``socket.getaddrinfo`` gives for ``host`` (the OS resolver)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_private_address(address: str) -> bool:
    """True for an address a public server has no business sending us to.

    Anything that is not a global unicast address: loopback, private (10/8,
    172.16/12, 192.168/16, fc00::/7), shared (100.64/10, where some clouds keep their
    metadata service), link-local (169.254/16 with 169.254.169.254, fe80::/10),
    unspecified, reserved and multicast; an IPv4 address mapped into IPv6 counts as
    itself, and NAT64/6to4 forms that embed one are judged by it.

    The name is resolved again when urllib connects, so a DNS server that answers
    differently the second time (rebinding) is not stopped by this check.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return not ip.is_global or ip.is_multicast


def is_private_host(host: str, resolve: Resolver = resolve_host) -> bool:
    """True if ``host`` is a private address or resolves to one (any of its addresses).

    A name that does not resolve is not private: connecting to it fails anyway.
    """
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        try:
            addresses = list(resolve(host))
        except (OSError, UnicodeError):
            return False
    else:
        addresses = [host]
    return any(is_private_address(address) for address in addresses)


def redirect_allowed(
    source_url: str, target_url: str, *, resolve: Resolver = resolve_host
) -> bool:
    """Whether a redirect from ``source_url`` to ``target_url`` may be followed.

    A redirect may not move from a public host to a private one (``is_private_host``):
    otherwise any feed on the internet could make us fetch, and publish, pages on our
    own machine or network (server-side request forgery). A source on a private host
    may redirect anywhere: the user named it, so local feeds keep working.
    """
    source_host = urlsplit(source_url).hostname
    target_host = urlsplit(target_url).hostname
    if not target_host:
        return True  # urllib refuses a URL without a host on its own
    if source_host and is_private_host(source_host, resolve):
        return True
    return not is_private_host(target_host, resolve)


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, but never to another scheme than http or https, nor from a
    public host to a private address (``redirect_allowed``)."""

    def __init__(self, resolve: Resolver) -> None:
        super().__init__()
        self._resolve = resolve

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
            fp.close()
            raise FetchError(f"HTTP {code}: redirect to a non-HTTP URL {newurl}")
        if not redirect_allowed(req.full_url, newurl, resolve=self._resolve):
            fp.close()
            raise FetchError(f"refused redirect to a private address {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    url: str, *, max_bytes: int, timeout: float, resolve: Resolver = resolve_host
) -> Response:
    """GET ``url``, following redirects, reading at most ``max_bytes`` of body.

    ``url`` itself may be on any host; a redirect may not lead from a public host to a
    private address (``redirect_allowed``), with host names looked up by ``resolve``.
    """
    if urlsplit(url).scheme.lower() not in SCHEMES:
        raise FetchError("only http:// and https:// URLs can be read")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT})
    opener = urllib.request.build_opener(_SafeRedirects(resolve))
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
