"""The models callers may name, and the selectors directives and licenses use to name them.

A directive scopes models by id ("fable-5"), by family ("family:fable") or by capability tier
("tier:frontier").  Only ids in the catalog can be served; a selector is resolved against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

FAMILY = "family:"
TIER = "tier:"


@dataclass(frozen=True)
class ModelSpec:
    id: str
    family: str = ""
    tier: str = ""

    def matches(self, selector: str) -> bool:
        if selector.startswith(FAMILY):
            return bool(self.family) and selector[len(FAMILY):] == self.family
        if selector.startswith(TIER):
            return bool(self.tier) and selector[len(TIER):] == self.tier
        return selector == self.id


@dataclass(frozen=True)
class Catalog:
    """The models of a deployment, by id."""

    models: Mapping[str, ModelSpec]

    @classmethod
    def of(cls, specs: Iterable[ModelSpec]) -> Catalog:
        return cls({m.id: m for m in specs})

    def __contains__(self, model_id: object) -> bool:
        return model_id in self.models

    def __iter__(self) -> Iterator[ModelSpec]:
        return iter(self.models.values())

    def get(self, model_id: str) -> ModelSpec | None:
        return self.models.get(model_id)

    def select(self, selectors: Iterable[str]) -> frozenset[str]:
        """The ids of catalog models that any selector names."""
        chosen = tuple(selectors)
        return frozenset(m.id for m in self.models.values() if any(m.matches(s) for s in chosen))

    def knows_selector(self, selector: str) -> bool:
        if selector.startswith(FAMILY):
            return any(m.family == selector[len(FAMILY):] for m in self)
        if selector.startswith(TIER):
            return any(m.tier == selector[len(TIER):] for m in self)
        return selector in self.models


DEMO_CATALOG = Catalog.of([
    ModelSpec("fable-5", family="fable", tier="frontier"),
    ModelSpec("mythos-5", family="mythos", tier="frontier"),
    ModelSpec("fable-4", family="fable", tier="standard"),
])
