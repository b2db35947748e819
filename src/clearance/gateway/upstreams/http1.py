"""Keep-alive HTTP/1.1 connections to one upstream: the gateway's client for model servers.

Why not aiohttp's client, which the gateway used before: measured with callgrind on the thinnest
pass-through (Starlette + aiohttp), the aiohttp client was 361K of its 583K instructions per
request, and a forwarded call needs none of what that buys (cookies, redirects, proxies, auth
helpers, content decoding, tracing).  This client does one thing: POST a JSON body over a pooled
connection and hand back the status, the headers and the body, whole or piece by piece.  Parsing
is httptools' (llhttp, the parser uvicorn uses for the gateway's own side); what is left here is
the pool, the timeouts and the failure cases, each of which has a test.

- **Pool.** Idle connections are kept (newest first) for `IDLE_SECONDS` and reused; a connection
  whose server has closed it, or whose answer was not read to its end, is never reused.  At most
  `limit` connections are open at once; beyond that a call waits for one.
- **Timeouts.** Connecting: `connect_timeout`.  After that: no more than `read_timeout` between two
  pieces of the answer (a long answer is fine, a silent upstream is not), checked by one timer per
  call that is re-armed only when it fires, not on every piece.
- **Failures** raise `UpstreamUnreachable` (nothing usable came back: refused, reset, closed early,
  not HTTP) or `TimeoutError`; a request is never sent twice.
- **Flow.** A streamed answer is read as fast as it comes; reading pauses when the caller has more
  than `_HIGH_WATER` bytes it has not taken yet.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import httptools

from clearance import __version__

__all__ = ["IDLE_SECONDS", "UpstreamPool", "UpstreamResponse", "UpstreamUnreachable"]

IDLE_SECONDS = 30.0
_HIGH_WATER = 1 << 20
_LOW_WATER = 1 << 16


class UpstreamUnreachable(ConnectionError):
    """The upstream could not be reached, or broke off, or did not speak HTTP."""


class UpstreamPool:
    """Connections to the server at `base_url` (http or https); one per upstream, shared by all calls."""

    def __init__(self, base_url: str, *, connect_timeout: float, read_timeout: float, limit: int = 256,
                 headers: dict[str, str] | None = None, ca_file: Path | None = None) -> None:
        """ValueError for settings that cannot work (a URL that is not http(s), a CA file that is not one)."""
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url}")
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.base_path = parts.path.rstrip("/")
        self._ssl = _tls(ca_file) if parts.scheme == "https" else None
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        default_port = (parts.scheme == "https" and self.port == 443) or (parts.scheme == "http" and self.port == 80)
        authority = self.host if default_port else f"{self.host}:{self.port}"
        if ":" in self.host:  # an IPv6 literal
            authority = f"[{self.host}]" if default_port else f"[{self.host}]:{self.port}"
        fixed = {"Host": authority, "User-Agent": f"clearance/{__version__}",
                 "Accept": "application/json, text/event-stream", "Content-Type": "application/json",
                 **(headers or {})}
        for name, value in fixed.items():
            if any(c in name + value for c in "\r\n\0"):
                raise ValueError(f"header {name} holds a line break")
        self._fixed_headers = "".join(f"{name}: {value}\r\n" for name, value in fixed.items()).encode("latin-1")
        self._idle: deque[_Connection] = deque()
        self._slots = asyncio.Semaphore(limit)
        self._open: set[_Connection] = set()
        self._closed = False

    async def post(self, path: str, body: bytes) -> UpstreamResponse:
        """Send `body` to `base_path + path`; the answer once its status and headers are in.

        Raises UpstreamUnreachable or TimeoutError; the connection's slot is held until the
        response is read to its end or released."""
        if self._closed:
            raise UpstreamUnreachable("the upstream's connections are closed")
        head = (b"POST " + (self.base_path + path).encode("ascii") + b" HTTP/1.1\r\n" + self._fixed_headers
                + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        await self._slots.acquire()
        try:
            connection = self._idle_connection() or await self._connect()
        except BaseException:
            self._slots.release()
            raise
        return await connection.send(head, body)  # from here on the connection frees the slot

    async def close(self) -> None:
        self._closed = True
        for connection in list(self._open):
            connection.abort()
        self._idle.clear()

    def _idle_connection(self) -> _Connection | None:
        loop_time = asyncio.get_running_loop().time()
        while self._idle:
            connection = self._idle.pop()  # the most recently used: the least likely to have been closed
            if connection.reusable and loop_time - connection.idle_since < IDLE_SECONDS:
                return connection
            connection.abort()
        return None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await asyncio.wait_for(loop.create_connection(
                lambda: _Connection(self), self.host, self.port, ssl=self._ssl,
                server_hostname=self.host if self._ssl else None), self.connect_timeout)
        except TimeoutError:
            raise TimeoutError(f"connecting to {self.host}:{self.port} took over {self.connect_timeout:g} s") from None
        except OSError as exc:
            raise UpstreamUnreachable(f"cannot connect to {self.host}:{self.port}: {exc}") from None
        self._open.add(connection)
        return connection

    def _done_with(self, connection: _Connection, *, reuse: bool) -> None:
        """A call has finished with `connection`: its slot is free, and the connection kept if it can be."""
        self._slots.release()
        if reuse and not self._closed and connection.reusable:
            connection.idle_since = asyncio.get_running_loop().time()
            self._idle.append(connection)
        else:
            connection.abort()

    def _forget(self, connection: _Connection) -> None:
        self._open.discard(connection)


def _tls(ca_file: Path | None) -> ssl.SSLContext:
    """Certificates checked, host names too: against `ca_file` when given, else the system's CAs."""
    try:
        return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"ca_file {ca_file} cannot be used: {getattr(exc, 'strerror', None) or exc}") from None


class UpstreamResponse:
    """The upstream's answer: `status` and `headers` (lower-case names) at once, the body as it comes."""

    def __init__(self, connection: _Connection, status: int, headers: dict[str, str]) -> None:
        self.status = status
        self.headers = headers
        self._connection = connection
        self._released = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    async def read(self) -> bytes:
        """The whole body (the connection goes back to the pool)."""
        pieces = [piece async for piece in self.iter_any()]
        return b"".join(pieces)

    async def iter_any(self) -> AsyncIterator[bytes]:
        """The body's pieces as they arrive; raises UpstreamUnreachable or TimeoutError if it breaks off."""
        connection = self._connection
        try:
            while True:
                piece = await connection.next_piece()
                if piece is None:
                    break
                yield piece
        finally:
            self.release()

    def release(self) -> None:
        """Done with the answer: its connection is reused if the answer was read to its end, else closed."""
        if not self._released:
            self._released = True
            self._connection.finish()


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection and the call on it, if any: httptools calls the `on_*` methods."""

    def __init__(self, pool: UpstreamPool) -> None:
        self._pool = pool
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self.reusable = False
        self.idle_since = 0.0
        # the call in progress
        self._busy = False
        self._head: asyncio.Future[UpstreamResponse] | None = None
        self._header_list: list[tuple[bytes, bytes]] = []
        self._pieces: deque[bytes] = deque()
        self._buffered = 0
        self._paused = False
        self._complete = False
        self._until_close = False  # an answer with neither a length nor chunks ends when the connection does
        self._failure: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._last_data = 0.0
        self._timer: asyncio.TimerHandle | None = None

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's does not subclass asyncio's
        self.reusable = True

    def data_received(self, data: bytes) -> None:
        self._last_data = self._loop.time()
        if not self._busy:  # nothing was asked: a server that talks out of turn is not reused
            self.abort()
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamUnreachable(f"the upstream's answer is not HTTP/1.1: {exc}"))

    def eof_received(self) -> bool:
        self.reusable = False
        return False  # close the transport: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.reusable = False
        self._pool._forget(self)
        if self._busy and not self._complete and self._until_close and exc is None and self._head is None:
            self.on_message_complete()  # the close is the end of this answer (HTTP/1.0 style)
            return
        if self._busy and not self._complete:
            self._fail(UpstreamUnreachable("the upstream closed the connection before its answer ended"
                                           + (f": {exc}" if exc else "")))

    # httptools callbacks

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_list.append((name, value))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # an interim answer (100 Continue): the real one follows
            self._header_list = []
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in self._header_list}
        self._header_list = []
        self._until_close = ("content-length" not in headers and "chunked" not in headers.get("transfer-encoding", "")
                             and status not in (204, 304))
        if self._head is not None and not self._head.done():
            self._head.set_result(UpstreamResponse(self, status, headers))
            self._head = None

    def on_body(self, body: bytes) -> None:
        self._pieces.append(body)
        self._buffered += len(body)
        if self._buffered > _HIGH_WATER and not self._paused and self._transport is not None:
            self._paused = True
            self._transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        self._complete = True
        if not self._parser.should_keep_alive():
            self.reusable = False
        self._stop_timer()
        self._wake()

    # the call

    async def send(self, head: bytes, body: bytes) -> UpstreamResponse:
        """Write the request; the response once its head is in.  On failure or cancellation the
        call is over (its slot freed, the connection closed)."""
        assert self._transport is not None and not self._busy
        self._busy = True
        self._complete = False
        self._until_close = False
        self._failure = None
        self._pieces.clear()
        self._buffered = 0
        answered: asyncio.Future[UpstreamResponse] = self._loop.create_future()
        self._head = answered
        if len(body) < 65536:
            self._transport.write(head + body)  # one segment for the usual small prompt
        else:
            self._transport.write(head)
            self._transport.write(body)
        self._last_data = self._loop.time()
        self._timer = self._loop.call_at(self._last_data + self._pool.read_timeout, self._check_silence)
        try:
            return await answered
        except BaseException:
            self.reusable = False
            self.finish()
            raise

    async def next_piece(self) -> bytes | None:
        """The next piece of the body; None at its end."""
        while True:
            if self._pieces:
                piece = self._pieces.popleft()
                self._buffered -= len(piece)
                if self._paused and self._buffered < _LOW_WATER and self._transport is not None:
                    self._paused = False
                    self._transport.resume_reading()
                return piece
            if self._failure is not None:
                raise self._failure
            if self._complete:
                return None
            self._waiter = self._loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None

    def finish(self) -> None:
        """The caller is done with this call's answer."""
        if not self._busy:
            return
        self._busy = False
        self._stop_timer()
        reuse = self._complete and self._failure is None and not self._pieces
        self._head = None
        self._pieces.clear()
        self._buffered = 0
        self._pool._done_with(self, reuse=reuse)

    def abort(self) -> None:
        self.reusable = False
        if self._transport is not None:
            self._transport.abort()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _fail(self, failure: BaseException) -> None:
        self.reusable = False
        self._stop_timer()
        if self._failure is None:
            self._failure = failure
        if self._head is not None and not self._head.done():
            self._head.set_exception(failure)  # `send` ends the call
        self._wake()
        if self._transport is not None and not self._transport.is_closing():
            self._transport.abort()

    def _check_silence(self) -> None:
        """The read timeout: fires once per `read_timeout`, and only fails the call if nothing came since."""
        self._timer = None
        if not self._busy or self._complete:
            return
        silent_until = self._last_data + self._pool.read_timeout
        if self._paused or self._loop.time() < silent_until:  # a paused reader is our caller's slowness
            self._timer = self._loop.call_at(max(silent_until, self._loop.time() + 0.001), self._check_silence)
            return
        self._fail(TimeoutError(f"the upstream sent nothing for {self._pool.read_timeout:g} s"))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
