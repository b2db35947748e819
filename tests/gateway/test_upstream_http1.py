"""The gateway's HTTP/1.1 client for upstreams, against scripted servers on loopback: reuse, the
answers' framings, and every way a server can fail it."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.gateway.upstreams.http1 import UpstreamPool, UpstreamUnreachable

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> tuple[bytes, dict[bytes, bytes], bytes]:
    """One request: its first line, headers (lower-case names) and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    first, *lines = head[:-4].split(b"\r\n")
    headers = {name.strip().lower(): value.strip() for name, value in (line.split(b":", 1) for line in lines)}
    body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
    return first, headers, body


def replying(reply: bytes) -> Handler:
    """A server that reads one request and sends `reply`, whatever it is, then closes."""
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply)
        await writer.drain()

    return handler


def answer(body: bytes, *, status: int = 200, close: bool = False, extra: bytes = b"") -> bytes:
    return (f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n".encode()
            + (b"Connection: close\r\n" if close else b"") + extra + b"\r\n" + body)


class Server:
    """A loopback server that runs `handler` on each connection and counts the connections."""

    def __init__(self, handler: Handler, tls: ssl.SSLContext | None = None) -> None:
        self.handler = handler
        self.tls = tls
        self.connections = 0
        self.requests: list[tuple[bytes, dict[bytes, bytes], bytes]] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> Server:
        async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            try:
                await self.handler(reader, writer)
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        self._server = await asyncio.start_server(on_connection, "127.0.0.1", 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/v1"

    async def echo(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Keep-alive: answer every request with its own body."""
        while True:
            request = await read_request(reader)
            self.requests.append(request)
            writer.write(answer(request[2]))
            await writer.drain()


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 30))


def pool(server: Server, *, read_timeout: float = 5.0, limit: int = 8, ca_file: Path | None = None,
         **headers: str) -> UpstreamPool:
    return UpstreamPool(server.url, connect_timeout=2.0, read_timeout=read_timeout, limit=limit, headers=headers,
                        ca_file=ca_file)


def private_ca(directory: Path) -> tuple[Path, ssl.SSLContext]:
    """A CA of our own (its PEM file) and a TLS server context for 127.0.0.1 with a certificate it signed."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Clearance test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
          .not_valid_after(now + timedelta(hours=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256()))
    (directory / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (directory / "server.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(directory / "server.pem")
    return directory / "ca.pem", server


def test_sequential_calls_share_one_kept_alive_connection_and_send_what_was_asked() -> None:
    async def test() -> None:
        async with Server(lambda r, w: server.echo(r, w)) as server:
            upstream = pool(server, Authorization="Bearer sk-test")
            for i in range(5):
                response = await upstream.post("/chat/completions", b'{"n": %d}' % i)
                assert (response.status, await response.read()) == (200, b'{"n": %d}' % i)
            await upstream.close()
        assert server.connections == 1
        first, headers, _ = server.requests[0]
        assert first == b"POST /v1/chat/completions HTTP/1.1"
        assert headers[b"authorization"] == b"Bearer sk-test"
        assert headers[b"content-type"] == b"application/json"
        assert headers[b"user-agent"].startswith(b"clearance/")
        assert headers[b"host"] == b"127.0.0.1:%d" % server.port
    run(test)


def test_a_server_that_closes_after_each_answer_gets_a_new_connection_each_time() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        writer.write(answer(request[2], close=True))
        await writer.drain()

    async def test() -> None:
        async with Server(handler) as server:
            upstream = pool(server)
            for _ in range(3):
                assert await (await upstream.post("/x", b"{}")).read() == b"{}"
            await upstream.close()
        assert server.connections == 3
    run(test)


@settings(max_examples=25, deadline=None)
@given(pieces=st.lists(st.binary(min_size=1, max_size=300), min_size=1, max_size=8))
def test_a_chunked_answer_is_read_whole_and_streamed_piece_by_piece(pieces: list[bytes]) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
        for piece in pieces:
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
            await asyncio.sleep(0.002)
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        await read_request(reader)  # keep-alive: the second call comes on this connection

    async def test() -> None:
        async with Server(handler) as server:
            upstream = pool(server)
            streamed = await upstream.post("/x", b"{}")
            assert streamed.content_type == "text/event-stream"
            assert b"".join([piece async for piece in streamed.iter_any()]) == b"".join(pieces)
            await upstream.close()
        assert server.connections == 1
    run(test)


@pytest.mark.parametrize("reply", [
    b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"cut\":",  # closes 90 bytes short
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",  # closes before the last chunk
])
def test_an_answer_broken_off_is_unreachable_not_a_short_body(reply: bytes) -> None:
    async def test() -> None:
        async with Server(replying(reply)) as server:
            upstream = pool(server)
            response = await upstream.post("/x", b"{}")
            with pytest.raises(UpstreamUnreachable, match="before its answer ended"):
                await response.read()
            await upstream.close()
    run(test)


@pytest.mark.parametrize("reply", [
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"whole\": true}",
    b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"whole\": true}",
])
def test_an_answer_with_neither_length_nor_chunks_ends_when_the_server_closes(reply: bytes) -> None:
    async def test() -> None:
        async with Server(replying(reply)) as server:
            upstream = pool(server)
            for _ in range(2):  # and the next call gets a connection of its own
                assert await (await upstream.post("/x", b"{}")).read() == b'{"whole": true}'
            await upstream.close()
        assert server.connections == 2
    run(test)


@pytest.mark.parametrize("reply", [b"SSH-2.0-OpenSSH_9.2\r\n", b"HTTP/1.1 abc\r\n\r\n", b""])
def test_a_server_that_does_not_speak_http_is_unreachable(reply: bytes) -> None:
    async def test() -> None:
        async with Server(replying(reply)) as server:
            upstream = pool(server)
            with pytest.raises(UpstreamUnreachable):
                await upstream.post("/x", b"{}")
            await upstream.close()
    run(test)


def test_nothing_listening_is_unreachable() -> None:
    async def test() -> None:
        async with Server(lambda r, w: asyncio.sleep(0)) as server:
            url = server.url
        upstream = UpstreamPool(url, connect_timeout=2.0, read_timeout=1.0)
        with pytest.raises(UpstreamUnreachable, match="cannot connect"):
            await upstream.post("/x", b"{}")
    run(test)


def test_silence_is_a_timeout_but_a_slow_steady_answer_is_not() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _, headers, _ = await read_request(reader)
        if headers.get(b"x-mode") == b"silent":
            await asyncio.sleep(5)
            return
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(6):  # 0.9 s in all, never more than 0.15 s apart
            await asyncio.sleep(0.15)
            writer.write(b"1\r\n.\r\n")
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    async def test() -> None:
        async with Server(handler) as server:
            steady = pool(server, read_timeout=0.5)
            assert await (await steady.post("/x", b"{}")).read() == b"......"
            silent = pool(server, read_timeout=0.3, **{"x-mode": "silent"})
            started = asyncio.get_running_loop().time()
            with pytest.raises(TimeoutError):
                await silent.post("/x", b"{}")
            assert asyncio.get_running_loop().time() - started < 2.0
            await steady.close()
            await silent.close()
    run(test)


def test_the_pool_limit_makes_calls_wait_for_a_connection() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            request = await read_request(reader)
            await asyncio.sleep(0.05)
            writer.write(answer(request[2]))
            await writer.drain()

    async def test() -> None:
        async with Server(handler) as server:
            upstream = pool(server, limit=2)

            async def call(i: int) -> bytes:
                return await (await upstream.post("/x", b"%d" % i)).read()

            assert await asyncio.gather(*(call(i) for i in range(6))) == [b"%d" % i for i in range(6)]
            await upstream.close()
        assert server.connections == 2
    run(test)


def test_an_answer_left_unread_or_cancelled_frees_its_slot_and_its_connection_is_not_reused() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            _, headers, body = await read_request(reader)
            if headers.get(b"x-mode") == b"hang":
                await asyncio.sleep(5)
            writer.write(answer(body * 1000))
            await writer.drain()

    async def test() -> None:
        async with Server(handler) as server:
            upstream = pool(server, limit=1)
            (await upstream.post("/x", b"abc")).release()  # body not read: this connection cannot carry another
            assert await (await upstream.post("/x", b"z")).read() == b"z" * 1000
            hanging = pool(server, limit=1, **{"x-mode": "hang"})
            call = asyncio.ensure_future(hanging.post("/x", b"{}"))
            await asyncio.sleep(0.1)
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            assert hanging._slots.locked() is False  # the cancelled call gave its slot back
            await upstream.close()
            await hanging.close()
        assert server.connections == 3
    run(test)


def test_an_idle_connection_the_server_closed_is_replaced_without_an_error() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        writer.write(answer(request[2]))  # keep-alive promised, then closed while idle
        await writer.drain()
        await asyncio.sleep(0.05)

    async def test() -> None:
        async with Server(handler) as server:
            upstream = pool(server)
            assert await (await upstream.post("/x", b"1")).read() == b"1"
            await asyncio.sleep(0.3)
            assert await (await upstream.post("/x", b"2")).read() == b"2"
            await upstream.close()
        assert server.connections == 2
    run(test)


def test_a_large_body_arrives_whole_and_headers_come_back_by_lower_case_name() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        writer.write(answer(b"%d" % len(request[2]), status=429, extra=b"Retry-After: 7\r\n"))
        await writer.drain()

    async def test() -> None:
        async with Server(handler) as server:
            upstream = pool(server)
            response = await upstream.post("/x", b"x" * 300_000)
            assert (response.status, response.headers["retry-after"], await response.read()) == (429, "7", b"300000")
            await upstream.close()
    run(test)


@pytest.mark.parametrize(("url", "headers"), [
    ("ftp://example.com/v1", {}),
    ("http:///v1", {}),
    ("http://127.0.0.1:9/v1", {"x-api-key": "sk\r\nX-Injected: 1"}),
])
def test_bad_settings_are_refused_when_the_pool_is_made(url: str, headers: dict[str, str]) -> None:
    async def test() -> None:
        with pytest.raises(ValueError):
            UpstreamPool(url, connect_timeout=1.0, read_timeout=1.0, headers=headers)
    run(test)


def test_an_https_upstream_is_reached_with_its_certificate_checked(tmp_path: Path) -> None:
    """Against the CA named in `ca_file` it works (and keeps the connection); against the system's CAs
    the same server is refused: the certificate is checked, never skipped."""
    ca_file, tls = private_ca(tmp_path)

    async def test() -> None:
        async with Server(lambda r, w: server.echo(r, w), tls) as server:
            trusted = pool(server, ca_file=ca_file)
            for i in range(2):
                assert await (await trusted.post("/x", b"%d" % i)).read() == b"%d" % i
            system = pool(server)
            with pytest.raises(UpstreamUnreachable, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
                await system.post("/x", b"{}")
            await trusted.close()
            await system.close()
        assert server.connections == 1  # both calls on one connection; the refused handshake never completed
    run(test)


@pytest.mark.parametrize("content", [None, b"not a certificate\n"])
def test_a_ca_file_that_is_missing_or_not_pem_is_refused_when_the_pool_is_made(tmp_path: Path,
                                                                               content: bytes | None) -> None:
    ca_file = tmp_path / "ca.pem"
    if content is not None:
        ca_file.write_bytes(content)

    async def test() -> None:
        with pytest.raises(ValueError, match=r"ca_file .* cannot be used"):
            UpstreamPool("https://127.0.0.1:9/v1", connect_timeout=1.0, read_timeout=1.0, ca_file=ca_file)
    run(test)
