"""Hypothesis strategies for coherent worlds: a catalog, directives, licenses, subjects and requests.

The universe is kept small on purpose (eight countries, three Ukrainian regions, a few groups, three
subjects in two organisations, instants on a coarse grid that hits every window boundary) so that
directives, licenses and callers collide often and the interesting edges are reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from clearance.domain.capabilities import CAPABILITIES
from clearance.domain.catalog import Catalog, ModelSpec
from clearance.domain.countries import Place
from clearance.domain.directives import Directive
from clearance.domain.groups import CountryGroups, bundled_groups
from clearance.domain.licenses import License
from clearance.domain.subjects import Nationality, Subject, UsPersonStatus

HOME = "US"
GROUPS: CountryGroups = bundled_groups()
COUNTRIES = ("US", "CN", "RU", "IN", "GB", "FR", "CA", "UA")
FOREIGN = tuple(c for c in COUNTRIES if c != HOME)
REGIONS = ("UA-43", "UA-40", "UA-30")  # Crimea, Sevastopol, Kyiv
GROUP_SELECTORS = ("group:D:1", "group:D:5", "group:A:1", "group:A:2", "group:B")  # A:1 and B hold US
CAPS = tuple(sorted(CAPABILITIES))
SUBJECT_IDS = ("s1", "s2", "s3")
ORGANIZATIONS = ("provider", "acme")

T0 = datetime(2026, 11, 16, tzinfo=UTC)
# Window boundaries and request instants share one grid, so `effective == at` and friends happen.
GRID = tuple(T0 + timedelta(days=d) for d in (-2, -1, 0, 1, 2))
DATES = (date(2001, 5, 1), date(2010, 1, 1), date(2019, 2, 11))

_MODELS = (
    ModelSpec("fable-5", family="fable", tier="frontier"),
    ModelSpec("mythos-5", family="mythos", tier="frontier"),
    ModelSpec("fable-4", family="fable", tier="standard"),
    ModelSpec("saga-3", family="saga", tier="standard"),
    ModelSpec("echo-1", family="", tier=""),
)


@dataclass(frozen=True)
class World:
    catalog: Catalog
    directives: tuple[Directive, ...]
    licenses: tuple[License, ...]

    def context(self) -> dict[str, Any]:
        return {"groups": GROUPS, "catalog": self.catalog, "home_country": HOME}


@dataclass(frozen=True)
class Request:
    subject: Subject
    model: str
    location: Place | None
    capabilities: frozenset[str]
    at: datetime


def catalogs() -> st.SearchStrategy[Catalog]:
    return st.integers(3, 5).map(lambda n: Catalog.of(_MODELS[:n]))


def model_selectors(catalog: Catalog) -> st.SearchStrategy[str]:
    """Ids, families and tiers of the catalog, and now and then one that names nothing."""
    names = sorted({m.id for m in catalog} | {f"family:{m.family}" for m in catalog if m.family}
                   | {f"tier:{m.tier}" for m in catalog if m.tier})
    return st.sampled_from([*names, *names, "ghost-9"])


_DEST_SELECTORS = (*FOREIGN, "UA-43", "UA-40", *GROUP_SELECTORS)


def _window(draw: st.DrawFn, open_ended: int = 2, early: int = 6) -> tuple[datetime, datetime | None]:
    """Mostly already started (`early` times in 5 + `early`), and open-ended `open_ended` times as often
    as not."""
    start = draw(st.sampled_from((GRID[0],) * early + GRID))
    ends = [t for t in GRID if t > start]
    end = draw(st.sampled_from((None,) * open_ended * len(ends) + tuple(ends))) if ends else None
    return start, end


@st.composite
def directive_dicts(draw: st.DrawFn, catalog: Catalog, ident: str, enforced: bool = False) -> dict[str, Any]:
    """A valid directive; `enforced`: in force at every instant of the grid and open to licenses."""
    effective, expires = (GRID[0], None) if enforced else _window(draw)
    scope: dict[str, Any] = {"models": draw(st.lists(model_selectors(catalog), min_size=1, max_size=2))}
    if draw(st.integers(0, 3)) == 0:
        scope["capabilities"] = draw(st.lists(st.sampled_from(CAPS), min_size=1, max_size=2))
    persons = draw(st.sampled_from(["foreign", "foreign", "all", "none"]))
    restrict: dict[str, Any] = {
        "persons": persons,
        "destinations": draw(st.one_of(st.just("all"),
                                       st.lists(st.sampled_from(_DEST_SELECTORS), min_size=1, max_size=3))),
        "deemed": draw(st.sampled_from(["most-recent", "any-citizenship"])),
        "unknown": draw(st.sampled_from(["deny", "allow"])),
    }
    parties = [f"subject:{s}" for s in SUBJECT_IDS] + [f"organization:{o}" for o in ORGANIZATIONS]
    if persons == "none" or draw(st.integers(0, 5)) == 0:
        restrict["parties"] = draw(st.lists(st.sampled_from(parties), min_size=1, max_size=2, unique=True))
    action = draw(st.sampled_from(["deny", "degrade", "safeguard"]))
    data: dict[str, Any] = {
        "id": ident,
        "title": f"Directive {ident}",
        "authority": "Test authority",
        "issued": effective.date(),
        "effective": effective,
        "expires": expires,
        "mode": "enforce" if enforced else draw(st.sampled_from(["enforce"] * 5 + ["shadow"] * 2
                                                                  + ["draft", "revoked"])),
        "scope": scope,
        "restrict": restrict,
        "except": {"destinations": draw(st.lists(st.sampled_from(_DEST_SELECTORS), max_size=2)
                                        if draw(st.integers(0, 2)) == 0 else st.just([]))},
        "action": action,
        "licensing": draw(st.sampled_from(["case-by-case", "presumption-of-denial"] if enforced
                                          else ["case-by-case"] * 4 + ["none", "presumption-of-denial"])),
    }
    if action == "degrade":
        # Any other model: a family or tier selector may still put the fallback in scope (a cycle).
        data["degrade_to"] = draw(st.sampled_from(sorted(m.id for m in catalog
                                                         if m.id not in scope["models"])))
    if action == "safeguard":
        safeguards: dict[str, Any] = {}
        while not safeguards:
            if draw(st.booleans()):
                safeguards["jailbreak_threshold"] = draw(st.sampled_from([0.1, 0.2, 0.35, 0.5]))
            if draw(st.booleans()):
                safeguards["block_capabilities"] = draw(st.lists(st.sampled_from(CAPS), min_size=1,
                                                                 max_size=2))
        data["safeguards"] = safeguards
    return data


def directives(catalog: Catalog, ident: str, enforced: bool = False) -> st.SearchStrategy[Directive]:
    context = {"groups": GROUPS, "catalog": catalog, "home_country": HOME}
    return directive_dicts(catalog, ident, enforced).map(lambda d: Directive.model_validate(d, context=context))


_HOLDERS = st.one_of(
    st.sampled_from([f"subject:{s}" for s in SUBJECT_IDS]),
    st.sampled_from([f"organization:{o}" for o in ORGANIZATIONS]),
    st.sampled_from([f"destination:{c}" for c in (*COUNTRIES, "UA-43", "UA-40")]),
)


@st.composite
def license_dicts(draw: st.DrawFn, catalog: Catalog, ident: str, directive_ids: list[str],
                  focused: bool = False) -> dict[str, Any]:
    """A valid license; `focused`: always aimed at the world's directives, most often in force."""
    valid_from, valid_until = _window(draw, open_ended=1, early=12)
    holder = draw(_HOLDERS)
    models = draw(st.lists(model_selectors(catalog), max_size=2) if draw(st.booleans()) else st.just([]))
    if directive_ids and (focused or draw(st.integers(0, 2)) > 0):  # aimed at one, so it often lifts it
        ids = [draw(st.sampled_from(directive_ids))] if not focused or draw(st.booleans()) else []
    else:
        ids = draw(st.lists(st.sampled_from([*directive_ids, "OTHER-1"]), max_size=2))
    if not models and not ids:
        models = [draw(model_selectors(catalog))]
    destinations: list[str] = []
    if not holder.startswith("destination:") and draw(st.integers(0, 2)) == 0:
        destinations = draw(st.lists(st.sampled_from(("US", *_DEST_SELECTORS)), min_size=1, max_size=3))
    statuses = ["active"] * (20 if focused else 8) + ["suspended", "revoked"]
    return {
        "id": ident,
        "holder": holder,
        "models": models,
        "directives": ids,
        "destinations": destinations,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "status": draw(st.sampled_from(statuses)),
    }


@st.composite
def worlds(draw: st.DrawFn, max_directives: int = 6, max_licenses: int = 8, licensing: bool = False) -> World:
    """A catalog, directives D1..Dn and licenses L1..Lm.

    `licensing`: one or two directives in force throughout and several licenses aimed at them, so
    that section 5 of the rules (coverage, partial lifts, the smallest covering id) is reached often.
    """
    catalog = draw(catalogs())
    if licensing:
        n = draw(st.integers(1, 2))
    elif draw(st.integers(0, 9)) == 0:
        n = draw(st.integers(0, max_directives))
    else:
        n = draw(st.integers(1, max_directives))
    ids = [f"D{i}" for i in range(1, n + 1)]
    found = tuple(draw(directives(catalog, i, enforced=licensing)) for i in ids)
    context = {"groups": GROUPS, "catalog": catalog, "home_country": HOME}
    count = draw(st.integers(3 if licensing else 0, max_licenses))
    licenses = tuple(License.model_validate(draw(license_dicts(catalog, f"L{i}", ids, licensing)), context=context)
                     for i in range(1, count + 1))
    return World(catalog, found, licenses)


def nationalities(countries: tuple[str, ...] = COUNTRIES) -> st.SearchStrategy[Nationality]:
    return st.builds(Nationality, st.sampled_from(countries), st.one_of(st.none(), st.sampled_from(DATES)))


def subjects() -> st.SearchStrategy[Subject]:
    return st.builds(
        Subject,
        id=st.sampled_from(SUBJECT_IDS),
        organization=st.one_of(st.none(), st.sampled_from(ORGANIZATIONS)),
        citizenships=st.lists(nationalities(), max_size=3).map(tuple),
        permanent_residence=st.one_of(st.none(), nationalities()),
        us_person=st.one_of(st.none(), st.none(), st.none(), st.sampled_from(list(UsPersonStatus))),
    )


def locations() -> st.SearchStrategy[Place | None]:
    return st.one_of(
        st.none(),
        st.just(Place(HOME)),
        st.just(Place("US", "US-CA")),
        st.sampled_from(FOREIGN).map(Place),
        st.sampled_from(REGIONS).map(lambda r: Place(r.split("-")[0], r)),
    )


def capabilities() -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(CAPS), max_size=2)


def instants() -> st.SearchStrategy[datetime]:
    return st.one_of(st.sampled_from(GRID), st.sampled_from(GRID).map(lambda t: t + timedelta(hours=12)))


def requests(catalog: Catalog) -> st.SearchStrategy[Request]:
    models = st.sampled_from([*sorted(catalog.models)] * 3 + ["ghost-9"])
    return st.builds(Request, subjects(), models, locations(), capabilities(), instants())
