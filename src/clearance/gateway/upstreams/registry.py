"""Which upstream serves which Clearance model, and the one entry point the gateway calls.

Built once from the settings: each model id maps to its upstream and the name that upstream
knows it by, so a request costs one dictionary lookup.  With no ``[[models]]`` configured the demo
catalog is served by a demo upstream, so that ``clearance serve`` answers on a fresh machine.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from starlette.responses import Response

from clearance.domain.catalog import DEMO_CATALOG
from clearance.gateway.upstreams.call import ModelCall, OnComplete, UpstreamFailure
from clearance.gateway.upstreams.demo_upstream import DemoUpstream
from clearance.gateway.upstreams.http_upstream import HttpUpstream
from clearance.gateway.upstreams.replies import CALLER_LEFT, Completion
from clearance.settings import Settings, UpstreamSettings

__all__ = ["DEFAULT_READ_TIMEOUT", "Upstreams"]

DEFAULT_READ_TIMEOUT = 300.0
DEMO_UPSTREAM = "demo"


class Upstream(Protocol):
    name: str
    kind: str

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def forward(self, call: ModelCall, upstream_model: str, completion: Completion) -> Response: ...


@dataclass(frozen=True, slots=True)
class Route:
    upstream: Upstream
    upstream_model: str


class Upstreams:
    def __init__(self, routes: dict[str, Route]) -> None:
        self._routes = routes
        self._upstreams = list({id(r.upstream): r.upstream for r in routes.values()}.values())

    @classmethod
    def from_settings(cls, settings: Settings, *, read_timeout: float | None = None) -> Upstreams:
        """`read_timeout`: most seconds between two pieces of an answer (default: the gateway's setting)."""
        timeout: float = (read_timeout if read_timeout is not None
                          else getattr(settings.gateway, "upstream_timeout_seconds", DEFAULT_READ_TIMEOUT))
        if not settings.models:
            demo = DemoUpstream(DEMO_UPSTREAM)
            return cls({spec.id: Route(demo, spec.id) for spec in DEMO_CATALOG})
        upstreams = {u.name: _upstream(u, timeout, settings.home) for u in settings.upstreams}
        return cls({m.id: Route(upstreams[m.upstream], m.upstream_model or m.id) for m in settings.models})

    async def start(self) -> None:
        for upstream in self._upstreams:
            await upstream.start()

    async def close(self) -> None:
        for upstream in self._upstreams:
            await upstream.close()

    def serves(self, model_id: str) -> bool:
        return model_id in self._routes

    def upstream_of(self, model_id: str) -> str | None:
        """The name of the upstream serving `model_id` (for metrics and logs), None if it is not served."""
        route = self._routes.get(model_id)
        return route.upstream.name if route is not None else None

    async def forward(self, call: ModelCall, on_complete: OnComplete) -> Response:
        """The upstream's answer for the caller, or UpstreamFailure before anything was sent.

        `on_complete` is called exactly once: after the answer's last byte, or before
        UpstreamFailure (or any other exception, or cancellation) leaves this method.  A returned
        response that is never sent never reports: the gateway must send what it is given.
        """
        completion = Completion(on_complete)
        try:
            route = self._routes.get(call.model_id)
            if route is None:
                raise UpstreamFailure(400, f'model "{call.model_id}" has no upstream configured')
            return await route.upstream.forward(call, route.upstream_model, completion)
        except UpstreamFailure as failure:
            completion.fail(failure.status, failure.message)
            await completion.close()
            raise
        except asyncio.CancelledError:  # the gateway gave up on the call (its caller went away)
            completion.fail(CALLER_LEFT, "the caller went away before the answer started")
            await completion.close()
            raise
        except Exception as exc:  # a fault of ours: still closes the audit record, then surfaces
            completion.fail(500, f"the gateway failed while forwarding: {type(exc).__name__}")
            await completion.close()
            raise


def _upstream(settings: UpstreamSettings, read_timeout: float, home: Path) -> Upstream:
    if settings.kind == "demo":
        return DemoUpstream(settings.name)
    ca_file = home / settings.ca_file if settings.ca_file else None
    return HttpUpstream(settings, read_timeout=read_timeout, ca_file=ca_file)
