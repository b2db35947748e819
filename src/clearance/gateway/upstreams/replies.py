"""Responses that report how they ended: `on_complete` once, after the last byte.

The audit record of a request is closed with what the caller actually got, so the report cannot
come from `forward` (which returns before anything is sent) but from the response itself, when
Starlette has sent its last byte, or when the caller went away in the middle of a stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from time import perf_counter

from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from clearance.gateway.upstreams.call import OnComplete, Outcome

__all__ = ["CALLER_LEFT", "Completion", "PlainReply", "StreamReply"]

CALLER_LEFT = 499  # nginx's "client closed request": nothing standard says it better


class Completion:
    """One call's ending, reported exactly once however many paths reach `close`."""

    __slots__ = ("_on_complete", "_reported", "_started", "ended", "error", "status", "usage")

    def __init__(self, on_complete: OnComplete) -> None:
        self._on_complete = on_complete
        self._started = perf_counter()
        self._reported = False
        self.ended = False  # the answer (or the stream's error event) was produced to its end
        self.status = 200
        self.usage: dict[str, int] | None = None
        self.error: str | None = None

    def fail(self, status: int, error: str) -> None:
        self.status, self.error, self.ended = status, error, True

    async def close(self) -> None:
        if self._reported:
            return
        self._reported = True
        if not self.ended:
            self.status, self.error = CALLER_LEFT, self.error or "the caller went away before the answer ended"
        result = self._on_complete(Outcome(self.status, self.usage, (perf_counter() - self._started) * 1000.0,
                                           self.error))
        if result is not None:
            await result


class PlainReply(Response):
    media_type = "application/json"

    def __init__(self, body: bytes, status: int, headers: Mapping[str, str], completion: Completion) -> None:
        super().__init__(body, status, headers)
        completion.status, completion.ended = status, True
        self._completion = completion

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._completion.close()


class StreamReply(StreamingResponse):
    media_type = "text/event-stream"

    def __init__(self, events: AsyncIterator[bytes], headers: Mapping[str, str], completion: Completion) -> None:
        # no-cache and no proxy buffering: every event must reach the caller as it is produced
        super().__init__(events, 200, {"cache-control": "no-cache", "x-accel-buffering": "no", **headers})
        self._completion = completion

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            close = getattr(self.body_iterator, "aclose", None)
            if close is not None:
                await close()  # releases the upstream's connection if the caller left mid-stream
            await self._completion.close()
