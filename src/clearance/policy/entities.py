"""The Cedar entities of a policy version: places, models, licenses and their covers.

Built once per snapshot and parsed into one Cedar handle; requests add nothing to it, so an
evaluation never copies the entity graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clearance.domain.catalog import Catalog
from clearance.domain.countries import all_countries
from clearance.domain.groups import GROUP_PREFIX, CountryGroups
from clearance.domain.licenses import License
from clearance.policy.coverage import LicenseIndex
from clearance.policy.names import (
    ANY_PLACE,
    CATALOG,
    DOMESTIC_PLACE,
    LICENSE,
    MODEL,
    PLACE,
    SPECIAL_PLACES,
    TARGET,
    WORLD_PLACE,
    micros,
    ref,
    target_id,
)


def _entity(kind: str, ident: str, parents: Iterable[tuple[str, str]] = (),
            attrs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "uid": {"type": kind, "id": ident},
        "attrs": attrs or {},
        "parents": [{"type": k, "id": i} for k, i in parents],
    }


def destination_places(regions: Iterable[str]) -> list[str]:
    """Every place a request's destination can be: a country, a region some rule names, a special one."""
    return [*SPECIAL_PLACES, *sorted(all_countries()), *sorted(regions)]


def place_entities(groups: CountryGroups, regions: Iterable[str]) -> list[dict[str, Any]]:
    out = [_entity(PLACE, GROUP_PREFIX + g) for g in groups.names]
    out.append(_entity(PLACE, WORLD_PLACE))
    out.extend(_entity(PLACE, special) for special in SPECIAL_PLACES)
    for country in sorted(all_countries()):
        parents = [(PLACE, WORLD_PLACE), *((PLACE, GROUP_PREFIX + g) for g in sorted(groups.groups_of(country)))]
        out.append(_entity(PLACE, country, parents))
    for region in sorted(regions):
        out.append(_entity(PLACE, region, [(PLACE, region.split("-", 1)[0])]))
    return out


def model_entities(catalog: Catalog, index: LicenseIndex) -> list[dict[str, Any]]:
    """Models in their families, tiers and the catalog; a model carries the licenses covering it anywhere."""
    out = [_entity(MODEL, CATALOG)]
    families = sorted({m.family for m in catalog if m.family})
    tiers = sorted({m.tier for m in catalog if m.tier})
    out.extend(_entity(MODEL, f"family:{f}") for f in families)
    out.extend(_entity(MODEL, f"tier:{t}") for t in tiers)
    for spec in catalog:
        parents = [(MODEL, CATALOG)]
        if spec.family:
            parents.append((MODEL, f"family:{spec.family}"))
        if spec.tier:
            parents.append((MODEL, f"tier:{spec.tier}"))
        anywhere = _grants(index.covers.get((spec.id, ANY_PLACE), {}))
        out.append(_entity(MODEL, spec.id, parents, {"grants_any": anywhere}))
    return out


def license_entities(licenses: Iterable[License]) -> list[dict[str, Any]]:
    out = []
    for lic in licenses:
        attrs: dict[str, Any] = {"holder": str(lic.holder), "status": lic.status.value,
                                 "valid_from": micros(lic.valid_from)}
        if lic.valid_until is not None:
            attrs["valid_until"] = micros(lic.valid_until)
        out.append(_entity(LICENSE, lic.id, attrs=attrs))
    return out


def _grants(grants: Mapping[str, frozenset[str]]) -> dict[str, list[dict[str, Any]]]:
    return {d: [ref(LICENSE, i) for i in sorted(ids)] for d, ids in sorted(grants.items())}


def target_entities(catalog: Catalog, places: Iterable[str], index: LicenseIndex,
                    home_country: str) -> list[dict[str, Any]]:
    """One Target per model and place a request can resolve to; a missing one would fail closed.

    Domestic access is covered by licenses that name the home country; an unknown destination
    only by licenses that name no destination (on the Model).
    """
    out = []
    for spec in catalog:
        for place in places:
            covered = home_country if place == DOMESTIC_PLACE else place
            attrs = {"grants": _grants(index.covers.get((spec.id, covered), {})), "model": ref(MODEL, spec.id)}
            out.append(_entity(TARGET, target_id(spec.id, place), [(MODEL, spec.id), (PLACE, place)], attrs))
    return out
