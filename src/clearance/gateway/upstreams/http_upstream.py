"""A model server reached over HTTP (kinds ``openai`` and ``anthropic``), through one connection pool.

One connection pool per upstream (`http1.UpstreamPool`), opened at start: connections are kept
alive and reused, which is most of what keeps the gateway's overhead under a millisecond.  A
plain answer is read whole, parsed once, has ``model`` (or the whole shape, when translated)
rewritten and is serialised once; a stream is relayed event by event as it arrives.

Timeouts: connecting, CONNECT_TIMEOUT seconds; then no more than the upstream's ``read_timeout``
between two pieces of the answer (a long answer is fine; a silent upstream is not).  Errors before
the first byte raise UpstreamFailure (502 unreachable or not an answer, 504 timeout), with a
message that does not reveal the upstream's address (that goes to the log); the upstream's own
4xx/5xx come back with their status in the caller's error shape, except a 401, which means the
gateway's key for the upstream is wrong, not the caller's: that is a 502.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
from starlette.responses import Response

from clearance.errors import ConfigError
from clearance.gateway.upstreams import usage as usage_of
from clearance.gateway.upstreams.call import CallerApi, ModelCall, UpstreamFailure
from clearance.gateway.upstreams.errors import error_body, error_message, stream_error
from clearance.gateway.upstreams.http1 import UpstreamPool, UpstreamResponse, UpstreamUnreachable
from clearance.gateway.upstreams.plans import PLANS, Plan
from clearance.gateway.upstreams.replies import Completion, PlainReply, StreamReply
from clearance.gateway.upstreams.sse import EventSplitter
from clearance.gateway.upstreams.streams import StreamRewriter
from clearance.settings import UpstreamSettings

__all__ = ["ANTHROPIC_VERSION", "CONNECT_TIMEOUT", "HttpUpstream"]

CONNECT_TIMEOUT = 5.0
POOL_LIMIT = 256  # connections per upstream; beyond this, requests wait for a free one
ANTHROPIC_VERSION = "2023-06-01"
_RETRY_AFTER = ("retry-after", "retry-after-ms")

log = logging.getLogger(__name__)


class HttpUpstream:
    def __init__(self, settings: UpstreamSettings, *, read_timeout: float, ca_file: Path | None = None) -> None:
        self.name = settings.name
        self.kind: str = settings.kind
        self._plans = PLANS[settings.kind]
        base = settings.base_url.rstrip("/")
        if settings.kind == "anthropic" and not base.endswith("/v1"):
            base += "/v1"  # written as the anthropic SDK's base_url (no /v1) or as OpenAI's (with it)
        self._base_url = base
        self._paths = {api: f"/{plan.path}" for api, plan in self._plans.items()}
        self._headers: dict[str, str] = {}
        key = settings.api_key()
        if settings.kind == "anthropic":
            self._headers["anthropic-version"] = ANTHROPIC_VERSION
            if key:
                self._headers["x-api-key"] = key
        elif key:
            self._headers["Authorization"] = f"Bearer {key}"
        self._read_timeout = read_timeout
        self._ca_file = ca_file
        self._pool: UpstreamPool | None = None

    async def start(self) -> None:
        try:
            self._pool = UpstreamPool(self._base_url, connect_timeout=CONNECT_TIMEOUT,
                                      read_timeout=self._read_timeout, limit=POOL_LIMIT, headers=self._headers,
                                      ca_file=self._ca_file)
        except ValueError as exc:
            raise ConfigError(f'upstream "{self.name}": {exc}') from None

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def _failure(self, status: int, what: str, exc: BaseException) -> UpstreamFailure:
        log.warning('upstream "%s": %s: %r', self.name, what, exc)
        return UpstreamFailure(status, f'the model\'s upstream "{self.name}" {what}')

    async def forward(self, call: ModelCall, upstream_model: str, completion: Completion) -> Response:
        plan = self._plans.get(call.api)
        if plan is None:
            raise UpstreamFailure(400, f'model "{call.model_id}" cannot serve the OpenAI {call.api} API: its '
                                       f"upstream speaks the Anthropic API, which has no {call.api}")
        stream = call.stream and call.api != "embeddings"
        body = plan.request(call.body, upstream_model) if plan.request else _as_is(call, upstream_model, stream, plan)
        if self._pool is None:
            raise RuntimeError("Upstreams.start() was not called")
        try:
            response = await self._pool.post(self._paths[call.api], orjson.dumps(body))
        except TimeoutError as exc:
            raise self._failure(504, "did not answer in time", exc) from None
        except UpstreamUnreachable as exc:
            raise self._failure(502, "cannot be reached", exc) from None
        if response.status >= 300:
            return await self._refused(call, response, upstream_model, completion)
        if stream and response.content_type == "application/json":
            response.release()
            raise self._failure(502, "answered a streamed request with a plain answer",
                                ValueError(response.content_type))
        if stream:
            return StreamReply(self._relay(response, plan.stream(call, upstream_model), call.api, completion),
                               call.response_headers, completion)
        try:
            raw = await response.read()
        except TimeoutError as exc:
            raise self._failure(504, "did not finish its answer in time", exc) from None
        except UpstreamUnreachable as exc:
            raise self._failure(502, "broke off its answer", exc) from None
        finally:
            response.release()
        try:
            answer = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise self._failure(502, "answered with something that is not JSON", exc) from None
        if not isinstance(answer, dict):
            raise self._failure(502, "answered with JSON that is not an object", TypeError(type(answer)))
        if plan.answer is None:
            if "model" in answer:
                answer["model"] = call.model_id
            used = answer.get("usage")
            completion.usage = usage_of.from_openai(used) if plan.dialect == "openai" else usage_of.from_anthropic(used)
        else:
            answer, completion.usage = plan.answer(answer, call.model_id)
        return PlainReply(orjson.dumps(answer), response.status, call.response_headers, completion)

    async def _refused(self, call: ModelCall, response: UpstreamResponse, upstream_model: str,
                       completion: Completion) -> Response:
        """The upstream's own error, in the caller's shape, never naming the upstream's model."""
        try:
            raw = await response.read()
        except (TimeoutError, UpstreamUnreachable):
            raw = b""
        finally:
            response.release()
        message, code = error_message(raw)
        if upstream_model:
            message = message.replace(upstream_model, call.model_id)
        status = response.status
        if status == 401 or status < 400:
            log.warning('upstream "%s" answered %d: %s', self.name, status, message)
            message = (f'the model\'s upstream "{self.name}" refused the gateway ({status}); '
                       f"its operator must check the upstream's key and address")
            status = 502
        headers = call.response_headers
        if any(name in response.headers for name in _RETRY_AFTER):
            headers = {**headers, **{name: response.headers[name] for name in _RETRY_AFTER
                                     if name in response.headers}}
        completion.error = message
        return PlainReply(error_body(call.api, status, message, code), status, headers, completion)

    async def _relay(self, response: UpstreamResponse, rewriter: StreamRewriter, api: CallerApi,
                     completion: Completion) -> AsyncIterator[bytes]:
        splitter = EventSplitter()
        failure: tuple[int, str] | None = None
        try:
            async for piece in response.iter_any():
                out = b""
                for name, data in splitter.feed(piece):
                    out += rewriter.event(name, data)
                if out:
                    yield out
                    if rewriter.complete and rewriter.error is None:
                        # The caller has the whole answer ([DONE], message_stop); one who hangs up
                        # now, before the upstream's last framing bytes, did not leave early.
                        completion.ended = True
                if rewriter.error is not None:
                    break
            else:
                tail = b"".join(rewriter.event(name, data) for name, data in splitter.flush())
                if tail:
                    yield tail
        except TimeoutError as exc:
            failure = 504, f"the upstream sent nothing for {self._read_timeout:g} s in the middle of the answer"
            log.warning('upstream "%s": stalled mid-stream: %r', self.name, exc)
        except UpstreamUnreachable as exc:
            failure = 502, "the upstream's connection broke in the middle of the answer"
            log.warning('upstream "%s": broke mid-stream: %r', self.name, exc)
        finally:
            response.release()
            completion.usage = rewriter.usage
        if failure is None and rewriter.error is not None:
            completion.fail(502, rewriter.error)  # its error event has been sent in the caller's shape already
            return
        if failure is None and not rewriter.complete:
            failure = 502, "the upstream ended the answer before it was complete"
        if failure is not None:
            completion.fail(*failure)
            yield stream_error(api, *failure)
            return
        completion.ended = True


def _as_is(call: ModelCall, upstream_model: str, stream: bool, plan: Plan) -> dict[str, object]:
    body = call.body.copy()
    body["model"] = upstream_model
    if stream and plan.dialect == "openai":
        options = body.get("stream_options")
        if not (isinstance(options, dict) and options.get("include_usage")):
            body["stream_options"] = {**(options if isinstance(options, dict) else {}), "include_usage": True}
    return body
