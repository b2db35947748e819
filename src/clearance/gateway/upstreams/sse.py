"""Server-sent events cut out of an upstream's byte stream as they arrive.

Bytes come in whatever pieces the network delivers; an event is complete at its blank line.
Each call to `feed` returns the events completed by that piece, so a stream is passed on event by
event, never buffered whole.  Line ends may be LF, CRLF or CR (the SSE specification allows all
three); comments (``: keep-alive``) and events without data are dropped.
"""

from __future__ import annotations

__all__ = ["Event", "EventSplitter"]

Event = tuple[bytes | None, bytes]  # (event name or None, data)


class EventSplitter:
    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[Event]:
        buffer = self._buffer + chunk if self._buffer else chunk
        held = b""
        if b"\r" in buffer:
            if buffer.endswith(b"\r"):  # perhaps the first half of a CRLF: wait for the next piece
                buffer, held = buffer[:-1], b"\r"
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        pieces = buffer.split(b"\n\n")
        self._buffer = pieces.pop() + held
        return [event for piece in pieces if (event := _parse(piece)) is not None]

    def flush(self) -> list[Event]:
        """An event the upstream left without its blank line when it ended the stream."""
        rest, self._buffer = self._buffer.replace(b"\r", b"\n").strip(b"\n"), b""
        event = _parse(rest) if rest else None
        return [event] if event is not None else []


def _parse(raw: bytes) -> Event | None:
    name: bytes | None = None
    data: list[bytes] = []
    for line in raw.split(b"\n"):
        if line.startswith(b"data:"):
            data.append(line[6:] if line.startswith(b"data: ") else line[5:])
        elif line.startswith(b"event:"):
            name = line[6:].strip()
    if not data:
        return None
    return name, data[0] if len(data) == 1 else b"\n".join(data)
