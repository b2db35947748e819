"""Which licenses cover which (directive, model, destination): the data behind `Cover` entities.

Computed once per policy version.  A request then needs only two lookups — the cover of its model
at its destination, and the cover of its model anywhere — and Cedar intersects them with the
licenses the caller holds.  Validity windows are checked when the held set is built (an instant
is per request); status and scope are fixed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from clearance.domain.catalog import Catalog
from clearance.domain.directives import Directive, Licensing
from clearance.domain.groups import CountryGroups
from clearance.domain.licenses import HolderKind, License, LicenseStatus
from clearance.domain.selectors import expand_destination
from clearance.policy.names import ANY_PLACE

CoverKey = tuple[str, str]  # (model id, place code or ANY_PLACE)


@dataclass(frozen=True)
class LicenseIndex:
    """Active licenses by holder and model, and the covers they make."""

    by_holder: Mapping[tuple[HolderKind, str, str], tuple[License, ...]]  # (kind, holder id, model id)
    covers: Mapping[CoverKey, Mapping[str, frozenset[str]]]  # key -> directive id -> license ids
    regions_of: Mapping[str, frozenset[str]] = field(default_factory=dict)
    granted: Mapping[CoverKey, frozenset[str]] = field(default_factory=dict)  # key -> every license in its covers

    def held(self, subject_id: str, organization: str | None, place: str | None, country: str | None,
             model: str, at: datetime) -> list[License]:
        """Licenses for `model` in force at `at` held by the subject, its organisation, or the destination.

        Only these can lift a directive for this request; every other license is left out of the
        Cedar request, whose cost grows with every entity it names.
        """
        found = list(self.by_holder.get((HolderKind.SUBJECT, subject_id, model), ()))
        if organization:
            found.extend(self.by_holder.get((HolderKind.ORGANIZATION, organization, model), ()))
        if place is not None:
            found.extend(self.by_holder.get((HolderKind.DESTINATION, place, model), ()))
            if country is not None and country != place:
                found.extend(self.by_holder.get((HolderKind.DESTINATION, country, model), ()))
        return [lic for lic in found if lic.in_force(at)]

    def covering(self, held: Iterable[License], model: str, place: str | None) -> tuple[License, ...]:
        """Those of `held` that cover some directive for `model` at `place` (None: an unknown place)
        or anywhere: no other license can lift anything there, nor be named in an explanation."""
        here = self.granted.get((model, place), frozenset()) if place is not None else frozenset()
        anywhere = self.granted.get((model, ANY_PLACE), frozenset())
        return tuple(lic for lic in held if lic.id in here or lic.id in anywhere)


def build_index(licenses: Iterable[License], directives: Iterable[Directive], catalog: Catalog,
                groups: CountryGroups, known_regions: Iterable[str]) -> LicenseIndex:
    licensable = sorted(d.id for d in directives if d.licensing is not Licensing.NONE)
    regions_of: dict[str, set[str]] = defaultdict(set)
    for region in known_regions:
        regions_of[region.split("-", 1)[0]].add(region)
    by_holder: dict[tuple[HolderKind, str, str], list[License]] = defaultdict(list)
    covers: dict[CoverKey, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for lic in licenses:
        if lic.status is not LicenseStatus.ACTIVE:
            continue
        directive_ids = [d for d in lic.directives if d in licensable] if lic.directives else licensable
        models = catalog.select(lic.models) if lic.models else frozenset(m.id for m in catalog)
        for model in models:
            by_holder[(lic.holder.kind, lic.holder.id, model)].append(lic)
        places: set[str] = set()
        if lic.holder.kind is HolderKind.DESTINATION:
            places.add(lic.holder.id)
        elif not lic.destinations:
            places.add(ANY_PLACE)
        else:
            for selector in lic.destinations:
                places.update(expand_destination(selector, groups))
        # A license for a country covers its regions too.
        places.update(r for p in list(places) for r in regions_of.get(p, ()))
        for model in models:
            for place in places:
                for directive_id in directive_ids:
                    covers[(model, place)][directive_id].add(lic.id)
    return LicenseIndex(
        by_holder={k: tuple(sorted(v, key=lambda x: x.id)) for k, v in by_holder.items()},
        covers={k: {d: frozenset(ids) for d, ids in v.items()} for k, v in covers.items()},
        regions_of={k: frozenset(v) for k, v in regions_of.items()},
        granted={k: frozenset(i for ids in v.values() for i in ids) for k, v in covers.items()},
    )
