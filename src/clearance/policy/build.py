"""Compiling a policy version: directives and licenses into Cedar text, entities and sliced policy sets.

Everything Cedar needs is built and parsed here once, and validated against the schema, so a
snapshot never meets a policy Cedar rejects at decision time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

import cedarpy

from clearance.domain.catalog import Catalog
from clearance.domain.destinations import Basis
from clearance.domain.directives import Directive, Mode
from clearance.domain.groups import CountryGroups
from clearance.domain.licenses import HolderKind, License
from clearance.domain.screening import NO_SCREENING, PendingPolicy, VerdictSource
from clearance.policy.compiler import ALL_PERSONS, BASELINE, Plan, compile_directive, plan
from clearance.policy.coverage import build_index
from clearance.policy.entities import (
    destination_places,
    license_entities,
    model_entities,
    place_entities,
    target_entities,
)
from clearance.policy.names import DOMESTIC_PLACE, SPECIAL_PLACES, micros
from clearance.policy.schema import cedar_schema
from clearance.policy.snapshot import PolicyEvaluationError, PolicySnapshot, Slice

# Every kind of destination a Cedar request can carry (its `basis`).
BASES = (*(b.value for b in Basis), DOMESTIC_PLACE)


def _version(directives: Sequence[Directive], licenses: Sequence[License], catalog: Catalog,
             groups: CountryGroups, home_country: str) -> str:
    blob = json.dumps({
        "directives": sorted((d.to_json() for d in directives), key=lambda d: d["id"]),
        "licenses": sorted((lic.to_json() for lic in licenses), key=lambda lic: lic["id"]),
        "catalog": sorted([m.id, m.family, m.tier] for m in catalog),
        "groups": [groups.version, {g: sorted(c) for g, c in sorted(groups.members.items())}],
        "home_country": home_country,
    }, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _regions(directives: Iterable[Directive], licenses: Iterable[License]) -> frozenset[str]:
    """Regions some rule names: only these need their own Place (any other is its country)."""
    codes: set[str] = set()
    for d in directives:
        codes.update(d.excepted)
        if not d.restrict.all_destinations:
            codes.update(d.restrict.destinations)
    for lic in licenses:
        codes.update(lic.destinations)
        if lic.holder.kind is HolderKind.DESTINATION:
            codes.add(lic.holder.id)
    return frozenset(c for c in codes if "-" in c)


def _slice(live: Sequence[Directive], texts: Mapping[str, str], plans: Mapping[str, Plan], catalog: Catalog,
           places: Sequence[str]) -> dict[tuple[str, str, str, str], Slice | None]:
    """One parsed policy set per (model, person, basis, place), holding only the directives that could
    restrict such a request: Cedar's cost grows with every policy it evaluates, and most directives
    cannot name a given model, person or place.  Identical sets are parsed once and shared; where no
    directive could apply the slice is None, and the baseline's allow needs no evaluation."""
    parsed: dict[frozenset[str], Slice] = {}
    sliced: dict[tuple[str, str, str, str], Slice | None] = {}
    known = [p for p in places if p not in SPECIAL_PLACES]
    for spec in catalog:
        scoped = [d.id for d in live if spec.id in catalog.select(d.scope.models)]
        for person in ALL_PERSONS:
            for basis in BASES:
                for place in (basis,) if basis in SPECIAL_PLACES else known:
                    chosen = frozenset(i for i in scoped if plans[i].may_apply(person, basis, place))
                    if chosen and chosen not in parsed:
                        policies = cedarpy.PolicySet.from_str(
                            "\n\n".join([BASELINE, *(texts[i] for i in sorted(chosen))]))
                        parsed[chosen] = Slice(policies, frozenset(x for i in chosen for x in plans[i].parties))
                    sliced[(spec.id, person, basis, place)] = parsed[chosen] if chosen else None
    return sliced


def compile_snapshot(directives: Iterable[Directive], licenses: Iterable[License], *, catalog: Catalog,
                     groups: CountryGroups, home_country: str = "US", screening: VerdictSource = NO_SCREENING,
                     pending: PendingPolicy = PendingPolicy.DENY) -> PolicySnapshot:
    """Compile, validate against the schema, and parse once; raises on anything Cedar rejects.

    `screening` answers restricted-party verdicts (docs/rules.md §9); when it holds any list, its
    digest and the `pending` setting are part of the policy version, so a review or a list change
    makes a new version as surely as a directive does.
    """
    all_directives = list(directives)
    all_licenses = list(licenses)
    live = sorted((d for d in all_directives if d.mode in (Mode.ENFORCE, Mode.SHADOW)), key=lambda d: d.id)
    regions = _regions(live, all_licenses)
    index = build_index(all_licenses, live, catalog, groups, regions)
    texts = {d.id: compile_directive(d, groups, home_country) for d in live}
    schema = cedar_schema(d.id for d in live if d.licensing.value != "none")
    full_text = "\n\n".join([BASELINE, *texts.values()]) + "\n"
    validation = cedarpy.validate_policies(full_text, schema)
    if not validation.validation_passed:
        raise PolicyEvaluationError("compiled policies do not validate against the schema: "
                                    + "; ".join(str(e) for e in validation.errors))
    entities = [*place_entities(groups, regions), *model_entities(catalog, index), *license_entities(all_licenses),
                *target_entities(catalog, destination_places(regions), index, home_country)]
    try:
        handle = cedarpy.Entities.from_json_str(json.dumps(entities), schema)
    except ValueError as exc:
        raise PolicyEvaluationError(f"policy entities do not validate against the schema: {exc}") from exc
    plans = {d.id: plan(d, groups, home_country) for d in live}
    policy_sets = _slice(live, texts, plans, catalog, destination_places(regions))
    boundaries: set[int] = set()
    for d in live:
        boundaries.add(micros(d.effective))
        if d.expires is not None:
            boundaries.add(micros(d.expires))
    for lic in all_licenses:
        boundaries.add(micros(lic.valid_from))
        if lic.valid_until is not None:
            boundaries.add(micros(lic.valid_until))
    version = _version(all_directives, all_licenses, catalog, groups, home_country)
    if screening.digest:
        version = hashlib.sha256(f"{version}|{screening.digest}|{pending.value}".encode()).hexdigest()[:16]
    header = f"// Clearance policy version {version}; home country {home_country}; country groups {groups.version}\n\n"
    return PolicySnapshot(
        version=version,
        home_country=home_country,
        catalog=catalog,
        groups=groups,
        directives={d.id: d for d in live},
        licenses={lic.id: lic for lic in all_licenses},
        policy_text=header + full_text,
        schema_text=schema,
        boundaries=tuple(sorted(boundaries)),
        index=index,
        known_regions=regions,
        parties=frozenset(p for pl in plans.values() for p in pl.parties),
        _policy_sets=policy_sets,
        _entities=handle,
        _texts=texts,
        screening=screening,
        pending=pending,
    )
