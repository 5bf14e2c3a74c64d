"""Fetching http(s) sources: the network edge of the sources stage.

A ``Fetcher`` is one run's HTTP client (httpx): its connections are reused, at most
``per_host`` requests go to one host at a time and ``parallel`` in all, and with a
cache folder each URL's validators and last good body are kept on disk
(``digest.sources.httpcache``), so an unchanged feed costs one ``304`` across
restarts. ``digest.sources`` imports this module only when a URL is read, so reading
local files (and ``digest --help``) never imports httpx. Every failure becomes a
``FetchError`` whose message is ready for a one-line ``Problem``.

Addresses: each connection resolves its host once, checks those addresses, and
connects to a checked one (``_CheckedBackend``), so a DNS server cannot answer the
check with one address and the connection with another (rebinding). Environment
proxies are not used: through a proxy, the address connected to would be the proxy's.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from digest import __version__
from digest.sources.base import format_size, one_line, over_limit_message
from digest.sources.httpcache import Cache, Entry

log = logging.getLogger(__name__)

USER_AGENT = f"digest/{__version__}"
_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, "
    "text/html;q=0.9, text/markdown;q=0.8, text/plain;q=0.8, */*;q=0.5"
)
SCHEMES = ("http", "https")
MAX_REDIRECTS = 10
PER_HOST = 2
"""Requests to one host at a time: enough to hide latency, few enough to be polite."""
PARALLEL = 8
"""Requests at a time over all hosts."""
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_BUSY_CODES = frozenset({429, 503})
_LONGEST_WAIT = 7 * 24 * 3600
"""A ``Retry-After`` further off than a week is taken as a week."""


Resolver = Callable[[str], Iterable[str]]
"""A host name's addresses, as strings; raises ``OSError`` for a name that has none."""

Connector = Callable[[str, int, "float | None"], httpcore.NetworkStream]
"""Opens a TCP connection to an address (never a name) and port, within a timeout."""


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is a one-line reason."""


@dataclass(frozen=True)
class Response:
    """A successful response (or the cached copy standing for one), body in full."""

    url: str
    """The final URL, after redirects."""
    media_type: str
    """The ``Content-Type`` without parameters, lower case; ``""`` if not sent."""
    charset: str | None
    body: bytes
    notice: str | None = None
    """Why an older copy stands in for the server's answer (a warning), if it does."""
    storable: bool = True
    """False when the server said ``no-store``: nothing made from it may be kept."""


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

    This judges names; a ``Fetcher`` applies the same rule to the addresses it
    actually connects to, resolved once per connection.
    """
    source_host = urlsplit(source_url).hostname
    target_host = urlsplit(target_url).hostname
    if not target_host:
        return True  # a URL without a host fails on its own
    if source_host and is_private_host(source_host, resolve):
        return True
    return not is_private_host(target_host, resolve)


# --- connecting to checked addresses ------------------------------------------------

_ADDRESS = "digest_checked_address"
"""``get_extra_info`` key: the address a connection was opened to, after the check."""


class _Refused(Exception):
    """A connection that would have reached a private address where none is allowed."""


class _CheckedStream(httpcore.NetworkStream):
    """A connection that remembers the address it was opened to, also after TLS."""

    def __init__(self, stream: httpcore.NetworkStream, address: str) -> None:
        self._stream = stream
        self.address = address

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # server_hostname is the URL's host: SNI and the certificate check use the name.
        tls = self._stream.start_tls(ssl_context, server_hostname, timeout)
        return _CheckedStream(tls, self.address)

    def get_extra_info(self, info: str) -> Any:
        return self.address if info == _ADDRESS else self._stream.get_extra_info(info)


def _connect_directly(address: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
    return httpcore.SyncBackend().connect_tcp(address, port, timeout=timeout)


class _CheckedBackend(httpcore.NetworkBackend):
    """httpcore's way to open connections: resolve once, check, connect to that address.

    With ``public_only``, a host with any private address is refused before a
    connection is attempted (``_Refused``); otherwise every address may be used.
    """

    def __init__(self, resolve: Resolver, connect: Connector, *, public_only: bool) -> None:
        self._resolve = resolve
        self._connect = connect
        self._public_only = public_only

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._addresses(host)
        if self._public_only and any(is_private_address(a) for a in addresses):
            raise _Refused(host)
        failure: Exception | None = None
        for address in addresses:
            try:
                return _CheckedStream(self._connect(address, port, timeout), address)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def _addresses(self, host: str) -> list[str]:
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            pass
        else:
            return [host]
        try:
            addresses = list(dict.fromkeys(self._resolve(host)))
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(_reason(exc)) from exc
        if not addresses:
            raise httpcore.ConnectError(f"no address for {host}")
        return addresses

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _Transport(httpx.HTTPTransport):
    """httpx's transport on a connection pool that opens connections through ours.

    ``httpx.HTTPTransport`` takes no network backend (yet), so its pool, the
    documented ``httpcore.ConnectionPool``, is made again here with one.
    """

    def __init__(
        self, backend: httpcore.NetworkBackend, ssl_context: ssl.SSLContext, parallel: int
    ) -> None:
        super().__init__(verify=ssl_context, trust_env=False)
        # The fetcher lets ``parallel`` requests at most be in flight, so the pool never
        # makes one wait; idle connections are kept a few seconds for the next request.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=parallel,
            max_keepalive_connections=parallel,
            keepalive_expiry=5.0,
            network_backend=backend,
        )


# --- the fetcher --------------------------------------------------------------------


@dataclass(frozen=True)
class _Redirect:
    target: str
    code: int
    from_private: bool
    """The response came from a private address: its redirects may go anywhere."""


class Fetcher:
    """GETs URLs for one run: shared connections, per-host limits, the disk cache.

    Thread-safe: ``read_sources`` calls ``fetch`` from several threads at once.
    ``cache_dir`` ``None`` keeps nothing between runs. ``resolve``, ``connect``,
    ``verify`` and ``clock`` are the OS resolver, a plain TCP connection, the
    system's certificates and the system clock unless a test says otherwise.
    """

    def __init__(
        self,
        *,
        max_bytes: int,
        timeout: float,
        resolve: Resolver = resolve_host,
        connect: Connector = _connect_directly,
        cache_dir: Path | None = None,
        per_host: int = PER_HOST,
        parallel: int = PARALLEL,
        verify: ssl.SSLContext | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._cache = Cache(cache_dir) if cache_dir is not None else None
        self._clock = clock
        context = verify or ssl.create_default_context()  # the system's trust, as urllib had
        self._clients = {
            public_only: httpx.Client(
                transport=_Transport(
                    _CheckedBackend(resolve, connect, public_only=public_only), context, parallel
                ),
                headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
                timeout=httpx.Timeout(timeout),
                follow_redirects=False,
                trust_env=False,
            )
            # Two pools, so that a connection opened where private addresses were
            # allowed is never reused for a request where they are not.
            for public_only in (False, True)
        }
        self._per_host = per_host
        self._hosts: dict[str, threading.Semaphore] = {}
        self._hosts_lock = threading.Lock()
        self._all = threading.Semaphore(parallel)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def fetch(self, url: str) -> Response:
        """GET ``url``, following redirects, reading at most ``max_bytes`` of body.

        ``url`` itself may be on any address; a redirect may not lead from a public
        address to a private one (the rule of ``redirect_allowed``).
        """
        if urlsplit(url).scheme.lower() not in SCHEMES:
            raise FetchError("only http:// and https:// URLs can be read")
        hop, public_only = url, False
        for _ in range(MAX_REDIRECTS + 1):
            outcome = self._get(hop, public_only=public_only)
            if isinstance(outcome, Response):
                return outcome
            if urlsplit(outcome.target).scheme.lower() not in SCHEMES:
                raise FetchError(
                    f"HTTP {outcome.code}: redirect to a non-HTTP URL {outcome.target}"
                )
            hop, public_only = outcome.target, not outcome.from_private
        raise FetchError(f"cannot fetch: more than {MAX_REDIRECTS} redirects")

    def _get(self, url: str, *, public_only: bool) -> Response | _Redirect:
        """One request (or none, when the cache may answer): a response or a redirect."""
        entry = self._cache.load(url) if self._cache is not None else None
        now = self._clock()
        if entry is not None and entry.retry_after is not None and entry.waiting(now):
            wait = f"not fetched: the server asked to wait until {_when(entry.retry_after)}"
            return self._instead(entry, wait)
        if entry is not None and entry.is_fresh(now):
            log.debug("%s: fresh in the cache, not fetched", url)
            return self._from(entry)
        client = self._clients[public_only]
        with self._slot(url):
            try:
                request = client.build_request("GET", url, headers=entry and entry.validators())
                response = client.send(request, stream=True)
                try:
                    return self._answer(url, entry, response, now)
                finally:
                    response.close()
            except _Refused:
                raise FetchError(f"refused redirect to a private address {url}") from None
            except httpx.TimeoutException:
                raise FetchError(f"cannot fetch: timed out after {self.timeout:g} s") from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise FetchError(f"cannot fetch: {_reason(exc)}") from None

    def _answer(
        self, url: str, entry: Entry | None, response: httpx.Response, now: float
    ) -> Response | _Redirect:
        status, headers = response.status_code, response.headers
        log.debug("%s: HTTP %d", url, status)
        if status in _REDIRECT_CODES and "location" in headers:
            target = urljoin(url, headers["location"])
            return _Redirect(target, status, _from_private(response))
        if status == 304 and entry is not None and entry.body is not None:
            # A 304 has no body (h11 frames it as empty, so this returns at once), but
            # until its end is read the connection counts as busy and closing the
            # response closes the connection: each 304 would cost a new one (and a
            # TLS handshake). Read, it goes back to the pool for the next request.
            response.read()
            entry = entry.but(
                etag=headers.get("etag", entry.etag),
                last_modified=headers.get("last-modified", entry.last_modified),
                fresh_until=_fresh_until(headers, now),
                retry_after=None,
                stored_at=now,
            )
            self._keep(entry, headers)
            return self._from(entry)
        reason = f"HTTP {status} {response.reason_phrase}".rstrip()
        if status in _BUSY_CODES and (until := _retry_after(headers, now)) is not None:
            if self._cache is not None:
                self._cache.store((entry or Entry(url, now)).but(retry_after=until))
            return self._instead(entry, f"{reason}: retry after {_when(until)}")
        if not 200 <= status < 300:
            raise FetchError(reason)
        body = self._read_body(response)
        media_type, charset = _content_type(headers)
        fresh = Entry(
            url,
            now,
            body,
            media_type,
            charset,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            fresh_until=_fresh_until(headers, now),
        )
        self._keep(fresh, headers)
        storable = "no-store" not in _directives(headers)
        return Response(url, media_type, charset, body, storable=storable)

    def _keep(self, entry: Entry, headers: httpx.Headers) -> None:
        if self._cache is None:
            return
        if "no-store" in _directives(headers):
            self._cache.remove(entry.url)
        else:
            self._cache.store(entry)

    def _from(self, entry: Entry, notice: str | None = None) -> Response:
        assert entry.body is not None
        if len(entry.body) > self.max_bytes:  # the limit was lowered since it was stored
            raise FetchError(over_limit_message(len(entry.body), self.max_bytes))
        return Response(entry.url, entry.media_type, entry.charset, entry.body, notice)

    def _instead(self, entry: Entry | None, why: str) -> Response:
        """The cached copy, with ``why`` the server's answer was not used; if none, fail."""
        if entry is None or entry.body is None:
            raise FetchError(why)
        return self._from(entry, f"{why}; used the copy of {_when(entry.stored_at)}")

    @contextmanager
    def _slot(self, url: str) -> Iterator[None]:
        """Waits until ``url``'s host and the fetcher as a whole have a request free."""
        host = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            limit = self._hosts.setdefault(host, threading.Semaphore(self._per_host))
        with limit, self._all:
            yield

    def _read_body(self, response: httpx.Response) -> bytes:
        """The body, if it is at most ``max_bytes`` and arrives within ``timeout`` s.

        The read timeout only bounds each wait, so a server trickling a byte at a time
        could hold a read open for ever; the deadline bounds the whole download. The
        limit counts the bytes as decoded (gzip), so a small bomb cannot get past it.
        """
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(over_limit_message(int(declared), self.max_bytes))
        deadline = time.monotonic() + self.timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                limit = format_size(self.max_bytes)
                raise FetchError(f"skipped: response is over the {limit} limit")
            if time.monotonic() > deadline:
                raise FetchError(f"cannot fetch: timed out after {self.timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)


def _from_private(response: httpx.Response) -> bool:
    stream = response.extensions.get("network_stream")
    address = stream.get_extra_info(_ADDRESS) if stream is not None else None
    return bool(address) and is_private_address(address)


def _content_type(headers: httpx.Headers) -> tuple[str, str | None]:
    if "content-type" not in headers:
        return "", None
    message = Message()
    message["Content-Type"] = headers["content-type"]
    return message.get_content_type(), message.get_content_charset()


def _directives(headers: httpx.Headers) -> dict[str, str]:
    """``Cache-Control`` as lower-case directive names and their values."""
    found: dict[str, str] = {}
    for part in ",".join(headers.get_list("cache-control")).split(","):
        name, _, value = part.partition("=")
        if name.strip():
            found[name.strip().lower()] = value.strip().strip('"')
    return found


def _fresh_until(headers: httpx.Headers, now: float) -> float | None:
    """Until when ``Cache-Control: max-age`` (less ``Age``) lets the body be used as is.

    Only an explicit lifetime counts: a feed without one is asked every time (with
    its validators), never guessed fresh from its ``Last-Modified``.
    """
    directives = _directives(headers)
    max_age = directives.get("max-age", "")
    if "no-cache" in directives or "no-store" in directives or not max_age.isdigit():
        return None
    age = headers.get("age", "0")
    lifetime = int(max_age) - (int(age) if age.isdigit() else 0)
    return now + lifetime if lifetime > 0 else None


def _retry_after(headers: httpx.Headers, now: float) -> float | None:
    """When ``Retry-After`` (seconds or an HTTP date) says to ask again, if later than now."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        until = now + int(value)
    else:
        try:
            until = parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError, IndexError):
            return None
    return min(until, now + _LONGEST_WAIT) if until > now else None


def _when(instant: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(instant))


def _reason(exc: BaseException) -> str:
    """What went wrong, in a few words: the OS's reason where there is one."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError):
            return "timed out"
        if isinstance(seen, OSError) and seen.strerror:
            # "connection refused" rather than "[Errno 111] Connection refused".
            return seen.strerror[0].lower() + seen.strerror[1:]
        seen = seen.__cause__ or seen.__context__
    text = one_line(str(exc))
    return text or type(exc).__name__
