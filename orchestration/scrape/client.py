"""A polite, safe HTTP client on httpx.

- Per-host politeness: at most `per_host_concurrency` requests in flight per host and at least
  `min_delay` seconds between the end of one request and the start of the next to that host; a
  global limit across hosts.
- Safety: only http/https; every hop's host is resolved once, each address is checked (loopback,
  private, link-local, multicast, reserved and unspecified ranges are refused unless the caller
  allows the private network), and the connection goes to the address that was checked (no second
  DNS lookup that could be rebound).
- Retries with exponential backoff and jitter on connection errors, timeouts, 5xx and 429, honouring
  Retry-After; a total time limit per attempt; redirects followed by hand (limit, loop detection,
  each hop checked again); a body size cap enforced while streaming (so a gzip bomb stops early).
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from orchestration.config import ScrapeSettings

from .urls import host_key

# (ip, port) pairs for a host name.
Addresses = list[tuple[str, int]]
RobotsCheck = Callable[[str], Awaitable[bool]]


class FetchFailure(Exception):
    """The URL could not be fetched. `outcome` is 'error', 'refused' or 'skipped_robots'."""

    def __init__(
        self,
        outcome: str,
        reason: str,
        *,
        status: int | None = None,
        url: str | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason
        self.status = status
        self.url = url
        self.attempts = attempts


class Resolver:
    """Resolves host names with the system resolver (getaddrinfo)."""

    async def resolve(self, host: str, port: int) -> Addresses:
        try:
            ipaddress.ip_address(host)
            return [(host, port)]
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        seen: list[tuple[str, int]] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            pair = (str(sockaddr[0]), int(sockaddr[1]))
            if pair not in seen:
                seen.append(pair)
        return seen


class StaticResolver(Resolver):
    """Answers some host names from a table (like curl's --connect-to), the rest from the system.

    Used for the bundled demo site, whose stable host name is served on an ephemeral loopback
    port, and by tests that give a public-looking name to a local server."""

    def __init__(self, table: dict[str, tuple[str, int]], fallback: Resolver | None = None):
        self.table = {k.lower(): v for k, v in table.items()}
        self.fallback = fallback or Resolver()

    async def resolve(self, host: str, port: int) -> Addresses:
        hit = self.table.get(f"{host.lower()}:{port}") or self.table.get(host.lower())
        if hit is not None:
            return [hit]
        return await self.fallback.resolve(host, port)


def address_refusal(ip: str) -> str | None:
    """Why connecting to `ip` is refused by default, or None when it is a public address."""
    addr = ipaddress.ip_address(ip.split("%")[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    for label, test in (
        ("loopback", addr.is_loopback),
        ("link-local", addr.is_link_local),
        ("multicast", addr.is_multicast),
        ("unspecified", addr.is_unspecified),
        ("private", addr.is_private),
        ("reserved", addr.is_reserved),
    ):
        if test:
            return f"{label} address {addr}"
    if not addr.is_global:
        return f"non-global address {addr}"
    return None


class HostGate:
    """Politeness for one host: a slot semaphore and the earliest start of the next request."""

    def __init__(self, slots: int) -> None:
        self.sem = asyncio.Semaphore(slots)
        self.next_start = 0.0

    def push_back(self, seconds: float) -> None:
        self.next_start = max(self.next_start, time.monotonic() + seconds)


@dataclass
class Response:
    url: str  # the URL first requested
    final_url: str  # after redirects
    status: int
    headers: httpx.Headers
    body: bytes
    attempts: int
    elapsed_ms: float
    redirects: list[str] = field(default_factory=list)


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


_RETRY_STATUSES = {429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524}
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class _Retryable(Exception):
    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


class PoliteClient:
    def __init__(
        self,
        settings: ScrapeSettings,
        *,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.resolver = resolver or Resolver()
        self._transport = transport
        self._sleep = sleep
        self._gates: dict[str, HostGate] = {}
        self._global = asyncio.Semaphore(settings.concurrency)
        self._client: httpx.AsyncClient | None = None
        self.request_log: list[tuple[float, str]] = []  # (monotonic start, url) of every request

    async def __aenter__(self) -> PoliteClient:
        s = self.settings
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=s.connect_timeout_seconds,
                read=s.read_timeout_seconds,
                write=s.read_timeout_seconds,
                pool=s.total_timeout_seconds,
            ),
            headers={
                "User-Agent": s.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            },
            transport=self._transport,
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def gate(self, url: str) -> HostGate:
        key = host_key(url)
        if key not in self._gates:
            self._gates[key] = HostGate(self.settings.per_host_concurrency)
        return self._gates[key]

    async def _checked_address(self, url: str, allow_private: bool) -> tuple[str, int]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchFailure("refused", f"scheme {parts.scheme or '(none)'!r} is not allowed")
        host = parts.hostname
        if not host:
            raise FetchFailure("refused", f"URL has no host: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = await self.resolver.resolve(host, port)
        except OSError as exc:
            raise _Retryable(f"cannot resolve host {host!r}: {exc}") from exc
        if not addresses:
            raise FetchFailure("error", f"host {host!r} has no address")
        if not allow_private:
            for ip, _port in addresses:
                reason = address_refusal(ip)
                if reason:
                    raise FetchFailure(
                        "refused",
                        f"{host} resolves to a {reason}; set allow_private_network: true "
                        "on the source to allow it",
                    )
        return addresses[0]

    async def _send_once(
        self,
        url: str,
        headers: dict[str, str],
        *,
        allow_private: bool,
        min_delay: float,
        accept: Callable[[str | None], bool] | None,
    ) -> tuple[int, httpx.Headers, bytes]:
        assert self._client is not None, "use PoliteClient as an async context manager"
        ip, port = await self._checked_address(url, allow_private)
        parts = urlsplit(url)
        target = httpx.URL(url).copy_with(host=ip, port=port)
        req_headers = dict(headers)
        req_headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
        extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
        gate = self.gate(url)
        cap = self.settings.max_body_bytes
        async with gate.sem, self._global:
            wait = gate.next_start - time.monotonic()
            if wait > 0:
                await self._sleep(wait)
            gate.next_start = time.monotonic() + min_delay
            self.request_log.append((time.monotonic(), url))
            try:
                async with asyncio.timeout(self.settings.total_timeout_seconds):
                    request = self._client.build_request(
                        "GET", target, headers=req_headers, extensions=extensions
                    )
                    response = await self._client.send(request, stream=True)
                    try:
                        status = response.status_code
                        if status in _RETRY_STATUSES:
                            raise _Retryable(
                                f"HTTP {status} {response.reason_phrase}".strip(),
                                status=status,
                                retry_after=parse_retry_after(response.headers.get("Retry-After")),
                            )
                        if status == 200 and accept is not None:
                            ctype = response.headers.get("Content-Type")
                            if not accept(ctype):
                                raise FetchFailure(
                                    "error", f"unexpected content type {ctype!r}", status=status
                                )
                        declared = response.headers.get("Content-Length")
                        if declared and declared.isdigit() and int(declared) > cap:
                            raise FetchFailure(
                                "error",
                                f"body of {int(declared):,} bytes exceeds the cap of {cap:,}",
                                status=status,
                            )
                        chunks: list[bytes] = []
                        size = 0
                        async for chunk in response.aiter_bytes():
                            size += len(chunk)
                            if size > cap:
                                raise FetchFailure(
                                    "error",
                                    f"body exceeds the cap of {cap:,} bytes",
                                    status=status,
                                )
                            chunks.append(chunk)
                        return status, response.headers, b"".join(chunks)
                    finally:
                        await response.aclose()
            except TimeoutError as exc:
                raise _Retryable(
                    f"timed out after {self.settings.total_timeout_seconds:g}s"
                ) from exc
            except httpx.TimeoutException as exc:
                raise _Retryable(f"timed out ({type(exc).__name__})") from exc
            except httpx.DecodingError as exc:
                raise FetchFailure("error", f"cannot decode the response body: {exc}") from exc
            except httpx.TransportError as exc:
                raise _Retryable(f"connection error: {type(exc).__name__}: {exc}") from exc
            finally:
                gate.next_start = max(gate.next_start, time.monotonic() + min_delay)

    async def _send_with_retries(
        self,
        url: str,
        headers: dict[str, str],
        *,
        allow_private: bool,
        min_delay: float,
        accept: Callable[[str | None], bool] | None,
    ) -> tuple[int, httpx.Headers, bytes, int]:
        s = self.settings
        attempt = 0
        while True:
            attempt += 1
            try:
                status, resp_headers, body = await self._send_once(
                    url, headers, allow_private=allow_private, min_delay=min_delay, accept=accept
                )
                return status, resp_headers, body, attempt
            except FetchFailure as exc:
                exc.attempts = attempt
                exc.url = exc.url or url
                raise
            except _Retryable as exc:
                if attempt > s.max_retries:
                    raise FetchFailure(
                        "error",
                        f"{exc.reason} (gave up after {attempt} attempts)",
                        status=exc.status,
                        url=url,
                        attempts=attempt,
                    ) from exc
                if exc.retry_after is not None:
                    if exc.retry_after > s.max_retry_after_seconds:
                        raise FetchFailure(
                            "error",
                            f"{exc.reason}; Retry-After of {exc.retry_after:g}s exceeds the "
                            f"cap of {s.max_retry_after_seconds:g}s",
                            status=exc.status,
                            url=url,
                            attempts=attempt,
                        ) from exc
                    delay = exc.retry_after
                else:
                    ceiling = min(
                        s.backoff_max_seconds, s.backoff_base_seconds * 2 ** (attempt - 1)
                    )
                    delay = ceiling / 2 + random.uniform(0, ceiling / 2)
                # The wait applies to the host: other requests to it wait too.
                self.gate(url).push_back(delay)

    async def fetch(
        self,
        url: str,
        *,
        allow_private: bool = False,
        min_delay: float | None = None,
        headers: dict[str, str] | None = None,
        accept: Callable[[str | None], bool] | None = None,
        robots: RobotsCheck | None = None,
        delay_for: Callable[[str], Awaitable[float]] | None = None,
    ) -> Response:
        """GET `url`, following redirects by hand. Raises FetchFailure when it cannot.

        `robots(url)` is awaited for the first URL and every redirect target (False: the URL is
        skipped, never fetched). `delay_for(url)` may raise the per-host delay (robots Crawl-delay).
        A 304 is returned as a Response with status 304 and an empty body."""
        started = time.monotonic()
        current = url
        visited = [current]
        total_attempts = 0
        base_delay = self.settings.min_delay_seconds if min_delay is None else min_delay
        while True:
            if robots is not None and not await robots(current):
                raise FetchFailure(
                    "skipped_robots",
                    f"robots.txt disallows {current}",
                    url=current,
                    attempts=total_attempts,
                )
            delay = base_delay
            if delay_for is not None:
                delay = max(delay, await delay_for(current))
            try:
                status, resp_headers, body, attempts = await self._send_with_retries(
                    current,
                    headers or {},
                    allow_private=allow_private,
                    min_delay=delay,
                    accept=accept,
                )
            except FetchFailure as exc:
                exc.attempts += total_attempts
                if len(visited) > 1 and exc.outcome == "refused":
                    exc.reason = f"redirect to {current} refused: {exc.reason}"
                raise
            total_attempts += attempts
            if status in _REDIRECT_STATUSES:
                location = resp_headers.get("Location")
                if not location:
                    raise FetchFailure(
                        "error",
                        f"HTTP {status} without a Location header",
                        status=status,
                        attempts=total_attempts,
                    )
                nxt = urljoin(current, location.strip())
                if nxt in visited:
                    raise FetchFailure(
                        "error",
                        f"redirect loop: {' -> '.join([*visited, nxt])}",
                        status=status,
                        attempts=total_attempts,
                    )
                if len(visited) > self.settings.max_redirects:
                    raise FetchFailure(
                        "error",
                        f"more than {self.settings.max_redirects} redirects",
                        status=status,
                        attempts=total_attempts,
                    )
                visited.append(nxt)
                current = nxt
                continue
            if status != 200 and status != 304:
                raise FetchFailure(
                    "error",
                    f"HTTP {status}",
                    status=status,
                    attempts=total_attempts,
                )
            return Response(
                url=url,
                final_url=current,
                status=status,
                headers=resp_headers,
                body=body if status == 200 else b"",
                attempts=total_attempts,
                elapsed_ms=(time.monotonic() - started) * 1000,
                redirects=visited[1:],
            )
