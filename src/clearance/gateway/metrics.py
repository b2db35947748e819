"""Prometheus metrics of a gateway, in a registry of its own (no module-level globals); with several
workers, kept in files they share so that /metrics counts every worker's requests.

What an operator asks first: how many requests were refused and under which directive, how much
time the gateway adds, how the upstreams are doing.  The directive label is bounded by the number of
directives in force, the model label by the catalog, so cardinality stays small.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

from clearance.domain.decisions import Decision

_FAST = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25)
_SLOW = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

CONTENT_TYPE = CONTENT_TYPE_LATEST
METRICS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
# prometheus_client decides when it is imported (just above) whether values live in this process
# or in files shared by the workers of `clearance serve --workers N` (server.py sets the variable).
_SHARED = bool(os.environ.get(METRICS_DIRECTORY))


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.decisions = Counter(
            "clearance_decisions", "Decisions made, by effect, directive (or none) and model asked for.",
            ["effect", "directive", "model"], registry=self.registry)
        self.requests = Counter(
            "clearance_requests", "Model-API requests answered, by route and HTTP status.",
            ["route", "status"], registry=self.registry)
        self.overhead = Histogram(
            "clearance_gateway_overhead_seconds",
            "Time from a request's arrival to its dispatch upstream (or its refusal): what Clearance adds.",
            buckets=_FAST, registry=self.registry)
        self.upstream_latency = Histogram(
            "clearance_upstream_seconds", "Time the upstream took, from dispatch to the last byte.",
            ["model"], buckets=_SLOW, registry=self.registry)
        self.upstream_errors = Counter(
            "clearance_upstream_errors", "Upstream failures, by model and HTTP status sent to the caller.",
            ["model", "status"], registry=self.registry)
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        self.safeguard_blocks = Counter(
            "clearance_safeguard_blocks", "Prompts blocked by safeguards, by reason.", ["reason"],
            registry=self.registry)

    def decided(self, decision: Decision) -> None:
        directives = {r.directive for r in decision.reasons if r.directive} or {""}
        for directive in directives:
            self._child(self.decisions, decision.effect.value, directive, decision.model).inc()

    def answered(self, route: str, status: int) -> None:
        self._child(self.requests, route, str(status)).inc()

    def upstream_took(self, model: str, seconds: float) -> None:
        self._child(self.upstream_latency, model).observe(seconds)

    def _child(self, metric: Any, *labels: str) -> Any:
        """`metric.labels(*labels)`, remembered: prometheus_client checks and locks on every `labels`
        call, and these run several times a request.  Bounded as the label values are (see above)."""
        key = (id(metric), labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def exposition(self) -> bytes:
        """This process's metrics; with several workers, all the workers' added up."""
        if not _SHARED:
            return generate_latest(self.registry)
        everyone = CollectorRegistry()
        MultiProcessCollector(everyone)  # type: ignore[no-untyped-call]  # prometheus_client leaves it untyped
        return generate_latest(everyone)
