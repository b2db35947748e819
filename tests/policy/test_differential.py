"""Differential tests: the Cedar engine and the plain-Python reference of docs/rules.md agree.

Each generated case is one coherent world (catalog, directives, licenses), compiled once, and a
batch of requests decided against it by both.  The reference also re-derives the destinations of
each request, which checks `clearance.domain.destinations.destinations_of` on the way.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clearance.domain.catalog import DEMO_CATALOG
from clearance.domain.countries import Place
from clearance.domain.decisions import Decision
from clearance.domain.directives import Directive
from clearance.domain.licenses import License
from clearance.domain.subjects import Subject, UsPersonStatus, parse_nationality
from reference import Outcome, reference_decide
from strategies import GROUPS, HOME, T0, Request, World, requests, worlds

policy = pytest.importorskip("clearance.policy")

AT = T0 + timedelta(hours=1)
_CTX = {"groups": GROUPS, "catalog": DEMO_CATALOG, "home_country": HOME}


def _directive(ident: str, **fields: Any) -> Directive:
    data: dict[str, Any] = {"id": ident, "title": ident, "authority": "Test", "issued": T0.date(),
                            "effective": T0, "mode": "enforce", "scope": {"models": ["fable-5"]}}
    data.update(fields)
    return Directive.model_validate(data, context=_CTX)


def _license(ident: str, holder: str, **fields: Any) -> License:
    data: dict[str, Any] = {"id": ident, "holder": holder, "valid_from": T0, "models": ["fable-5"]}
    data.update(fields)
    return License.model_validate(data, context=_CTX)


def _subject(*citizenships: str, ident: str = "s1", organization: str | None = None,
             residence: str | None = None, us_person: UsPersonStatus | None = None) -> Subject:
    return Subject(ident, organization=organization,
                   citizenships=tuple(parse_nationality(c) for c in citizenships),
                   permanent_residence=parse_nationality(residence) if residence else None,
                   us_person=us_person)


def _ask(subject: Subject, location: Place | None, model: str = "fable-5",
         capabilities: frozenset[str] = frozenset()) -> Request:
    return Request(subject, model, location, capabilities, AT)


def _demo(directives: list[Directive], licenses: list[License] | None = None) -> World:
    return World(DEMO_CATALOG, tuple(directives), tuple(licenses or ()))


def observed(decision: Decision) -> Outcome:
    """The parts of an engine decision that the rules fix, in the reference's shape."""
    return Outcome(
        effect=decision.effect,
        served_model=decision.served_model,
        obligations=dict(decision.obligations),
        reasons=frozenset((r.code, r.directive, r.license) for r in decision.reasons),
        shadow=frozenset((h.directive, h.effect) for h in decision.shadow),
    )


def expected(world: World, req: Request) -> Outcome:
    return reference_decide(req.subject, req.model, req.location, req.capabilities, req.at,
                            directives=world.directives, licenses=world.licenses, catalog=world.catalog,
                            groups=GROUPS, home_country=HOME)


def compile_world(world: World) -> Any:
    return policy.compile_snapshot(list(world.directives), list(world.licenses), catalog=world.catalog,
                                   groups=GROUPS, home_country=HOME)


def _show(outcome: Outcome) -> str:
    reasons = sorted((c.value, d or "", lic or "") for c, d, lic in outcome.reasons)
    shadow = sorted((d, e.value) for d, e in outcome.shadow)
    return (f"{outcome.effect.value} served={outcome.served_model} obligations={outcome.obligations} "
            f"reasons={reasons} shadow={shadow}")


def check(world: World, reqs: list[Request]) -> None:
    snapshot = compile_world(world)
    for req in reqs:
        got = observed(snapshot.decide(policy.DecisionRequest(
            subject=req.subject, model=req.model, location=req.location, capabilities=req.capabilities,
            at=req.at)))
        want = expected(world, req)
        assert got == want, (f"engine and reference disagree on {req!r}\n"
                             f"engine:    {_show(got)}\nreference: {_show(want)}")


@st.composite
def cases(draw: st.DrawFn, licensing: bool = False) -> tuple[World, list[Request]]:
    world = draw(worlds(licensing=licensing))
    return world, draw(st.lists(requests(world.catalog), min_size=15, max_size=30))


CRIMEA = Place("UA", "UA-43")
SEVASTOPOL = Place("UA", "UA-40")
KYIV = Place("UA", "UA-30")
US_CITIZEN = _subject("US")
CN_CITIZEN = _subject("CN")
NOBODY = _subject()

# Tricky cases, each a world and the requests that probe it.
EXAMPLES: dict[str, tuple[World, list[Request]]] = {
    "cn-citizen-in-cn-location-and-deemed": (
        _demo([_directive("D1", restrict={"destinations": ["CN"]})]),
        [_ask(CN_CITIZEN, Place("CN")), _ask(CN_CITIZEN, None), _ask(CN_CITIZEN, Place("US"))]),
    "region-in-listed-country-but-excepted": (
        _demo([_directive("D1", restrict={"persons": "all", "destinations": ["UA"]},
                          except_={"destinations": ["UA-43"]})]),
        [_ask(US_CITIZEN, CRIMEA), _ask(US_CITIZEN, SEVASTOPOL), _ask(US_CITIZEN, Place("UA")),
         _ask(_subject("UA"), Place("US"))]),
    "all-except-group-holding-home-spares-domestic": (
        _demo([_directive("D1", restrict={"persons": "all"}, except_={"destinations": ["group:A:1"]})]),
        [_ask(US_CITIZEN, Place("US")), _ask(US_CITIZEN, Place("CN")), _ask(US_CITIZEN, Place("GB")),
         _ask(US_CITIZEN, None), _ask(NOBODY, Place("US"))]),
    "unknown-allow-but-all-destinations-without-exceptions": (
        _demo([_directive("D1", restrict={"persons": "all", "unknown": "allow"}),
               _directive("D2", restrict={"persons": "foreign", "unknown": "allow"},
                          scope={"models": ["mythos-5"]})]),
        [_ask(NOBODY, None), _ask(NOBODY, None, "mythos-5"), _ask(US_CITIZEN, None, "mythos-5")]),
    "residence-newer-than-citizenship-same-country": (
        _demo([_directive("D1", restrict={"destinations": ["IN"], "deemed": "any-citizenship"}),
               _directive("D2", restrict={"destinations": ["IN"]}, scope={"models": ["mythos-5"]})]),
        [_ask(_subject("IN@2001-05-01", "CA@2010-01-01", residence="IN@2019-02-11"), Place("US")),
         _ask(_subject("IN@2001-05-01", "CA@2019-02-11"), Place("US")),
         _ask(_subject("IN@2001-05-01", "CA@2019-02-11"), Place("US"), "mythos-5"),
         _ask(_subject("IN", "CA@2019-02-11"), Place("US"), "mythos-5"),
         _ask(_subject(residence="IN"), Place("US"), "mythos-5")]),
    "degrade-cycle-through-family-selector": (
        _demo([_directive("D1", scope={"models": ["family:fable"]}, action="degrade", degrade_to="fable-4"),
               _directive("D2", scope={"models": ["mythos-5"]}, action="degrade", degrade_to="fable-5")]),
        [_ask(CN_CITIZEN, Place("US")), _ask(CN_CITIZEN, Place("US"), "mythos-5"),
         _ask(US_CITIZEN, Place("US"), "mythos-5")]),
    "degrade-chain-with-safeguards-on-the-way": (
        _demo([_directive("D1", scope={"models": ["fable-5"]}, action="degrade", degrade_to="mythos-5"),
               _directive("D2", scope={"models": ["mythos-5"]}, action="degrade", degrade_to="fable-4"),
               _directive("D3", scope={"models": ["fable-4"]}, action="safeguard",
                          safeguards={"jailbreak_threshold": 0.2, "block_capabilities": ["cyber-offense"]}),
               _directive("D4", scope={"models": ["fable-5"]}, action="safeguard",
                          safeguards={"jailbreak_threshold": 0.5, "block_capabilities": ["cbrn-weapons"]})]),
        [_ask(CN_CITIZEN, Place("US")), _ask(US_CITIZEN, Place("US"))]),
    "home-listed-license-lifts-domestic": (
        _demo([_directive("D1", restrict={"persons": "all"})],
              [_license("L1", "subject:s1", destinations=["US"]),
               _license("L2", "destination:US", models=["fable-5"])]),
        [_ask(US_CITIZEN, Place("US")), _ask(_subject("US", ident="s2"), Place("US")),
         _ask(_subject("US", ident="s2"), Place("CN"))]),
    "region-held-license-not-the-country": (
        _demo([_directive("D1", restrict={"persons": "all", "destinations": ["UA"]})],
              [_license("L1", "destination:UA-43")]),
        [_ask(US_CITIZEN, CRIMEA), _ask(US_CITIZEN, Place("UA")), _ask(_subject("UA"), Place("US"))]),
    "listed-party-is-restricted-everywhere": (
        _demo([_directive("D1", restrict={"persons": "none", "parties": ["organization:acme"]},
                          action="safeguard", safeguards={"jailbreak_threshold": 0.1})],
              [_license("L1", "subject:s2", destinations=["CN"])]),
        [_ask(_subject("US", organization="acme"), Place("US")),
         _ask(_subject("US", ident="s2", organization="acme"), Place("CN")),
         _ask(_subject("US", organization="provider"), Place("CN"))]),
    "shadow-lifted-and-not": (
        _demo([_directive("D1", mode="shadow"),
               _directive("D2", mode="shadow", scope={"models": ["mythos-5"]})],
              [_license("L1", "subject:s1", directives=["D1"])]),
        [_ask(CN_CITIZEN, Place("US")), _ask(CN_CITIZEN, Place("US"), "mythos-5")]),
    "capability-scoped-directive": (
        _demo([_directive("D1", scope={"models": ["tier:frontier"], "capabilities": ["cyber-offense"]})]),
        [_ask(CN_CITIZEN, Place("US"), capabilities=frozenset({"cyber-offense", "cbrn-weapons"})),
         _ask(CN_CITIZEN, Place("US"), capabilities=frozenset({"cbrn-weapons"})),
         _ask(CN_CITIZEN, Place("US"))]),
    "window-boundaries": (
        _demo([_directive("D1", effective=AT, expires=AT + timedelta(hours=1)),
               _directive("D2", effective=T0, expires=AT, scope={"models": ["mythos-5"]}),
               _directive("D3", scope={"models": ["fable-4"]})],
              [_license("L1", "subject:s1", valid_from=AT, models=[], directives=["D1"]),
               _license("L2", "subject:s1", valid_from=T0, valid_until=AT, models=["fable-4"])]),
        [_ask(CN_CITIZEN, Place("US")), _ask(_subject("CN", ident="s2"), Place("US")),
         _ask(CN_CITIZEN, Place("US"), "mythos-5"), _ask(CN_CITIZEN, Place("US"), "fable-4")]),
    "smallest-covering-license-named-and-partial-lift": (
        _demo([_directive("D1", restrict={"persons": "all", "destinations": ["group:D:1", "IN"]})],
              [_license("L9", "destination:CN"), _license("L10", "subject:s1", destinations=["group:D:5"]),
               _license("L2", "organization:acme", destinations=["CN"])]),
        [_ask(_subject("CN", organization="acme"), Place("CN")), _ask(_subject("IN"), Place("CN")),
         _ask(_subject("RU"), Place("CN")), _ask(_subject("RU"), Place("RU"))]),
}


_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=200, deadline=None, suppress_health_check=_SLOW)
@given(case=cases())
def test_engine_agrees_with_reference(case: tuple[World, list[Request]]) -> None:
    check(*case)


@settings(max_examples=100, deadline=None, suppress_health_check=_SLOW)
@given(case=cases(licensing=True))
def test_engine_agrees_with_reference_on_licenses(case: tuple[World, list[Request]]) -> None:
    """Worlds of one or two directives in force and several licenses aimed at them."""
    check(*case)


# Hypothesis reports `@example`s one at a time; a parametrized copy gives each a readable id.
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_tricky_example(name: str) -> None:
    check(*EXAMPLES[name])


for _case in EXAMPLES.values():
    test_engine_agrees_with_reference = example(case=_case)(test_engine_agrees_with_reference)
