"""The November 2026 story, table-driven: who gets Fable 5 under BIS-2026-AI-001, and why.

Every row is decided twice, by the Cedar engine and by the plain-Python reference of
docs/rules.md, so the table checks both (and a row that fails for one only points at it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from clearance.domain.catalog import DEMO_CATALOG
from clearance.domain.countries import Place
from clearance.domain.decisions import Effect, ReasonCode
from clearance.domain.directives import Directive
from clearance.domain.groups import bundled_groups
from clearance.domain.licenses import License
from clearance.domain.subjects import Subject, UsPersonStatus, parse_nationality
from clearance.domain.timeutil import as_instant
from reference import Outcome, reference_decide

HOME = "US"
GROUPS = bundled_groups()
CONTEXT = {"groups": GROUPS, "catalog": DEMO_CATALOG, "home_country": HOME}
EFFECTIVE = as_instant("2026-11-16T00:00:00Z")
NOW = as_instant("2026-11-20T12:00:00Z")

C = ReasonCode
ALLOW, DENY, DEGRADE, SAFEGUARD = Effect.ALLOW, Effect.DENY, Effect.DEGRADE, Effect.SAFEGUARD

US = Place("US")
CRIMEA = Place("UA", "UA-43")  # where 31.135.96.1 is located
SEVASTOPOL = Place("UA", "UA-40")
KYIV = Place("UA", "UA-30")


def directive(ident: str = "BIS-2026-AI-001", **changes: Any) -> Directive:
    """The directive of the story, as DESIGN.md writes it, with `changes` on top."""
    data: dict[str, Any] = {
        "id": ident,
        "title": "Access to Fable 5 and Mythos 5 by foreign persons",
        "authority": "US Department of Commerce, BIS",
        "issued": "2026-11-16",
        "effective": EFFECTIVE,
        "mode": "enforce",
        "scope": {"models": ["fable-5", "mythos-5"]},
        "restrict": {"persons": "foreign", "destinations": "all", "deemed": "most-recent", "unknown": "deny"},
        "action": "deny",
        "licensing": "case-by-case",
        "message": f"Access to this model is restricted by export-control directive {ident}.",
    }
    data.update(changes)
    return Directive.model_validate(data, context=CONTEXT)


BIS = directive()
CRIMEA_DIRECTIVE = directive("OFAC-CRIMEA-1", restrict={"persons": "all", "destinations": ["UA-43", "UA-40"]})


def grant(ident: str, holder: str, **changes: Any) -> License:
    data: dict[str, Any] = {"id": ident, "holder": holder, "models": ["fable-5"],
                            "directives": ["BIS-2026-AI-001"], "valid_from": "2026-11-17"}
    data.update(changes)
    return License.model_validate(data, context=CONTEXT)


def person(*citizenships: str, ident: str = "alice", organization: str | None = None,
           residence: str | None = None, us_person: UsPersonStatus | None = None) -> Subject:
    return Subject(ident, organization=organization,
                   citizenships=tuple(parse_nationality(c) for c in citizenships),
                   permanent_residence=parse_nationality(residence) if residence else None,
                   us_person=us_person)


US_CITIZEN = person("US")
INDIAN = person("IN")
NOBODY = person()


@dataclass(frozen=True)
class Row:
    """One situation of the story and what the rules make of it."""

    id: str
    subject: Subject
    effect: Effect
    codes: frozenset[ReasonCode]
    location: Place | None = US
    model: str = "fable-5"
    directives: tuple[Directive, ...] = (BIS,)
    licenses: tuple[License, ...] = ()
    served: str | None = "<model>"  # "<model>": the model asked for (None on deny)
    at: datetime = NOW
    capabilities: frozenset[str] = frozenset()
    shadow: frozenset[tuple[str, Effect]] = frozenset()
    obligations: dict[str, Any] = field(default_factory=dict)

    @property
    def served_model(self) -> str | None:
        if self.effect is DENY:
            return None
        return self.model if self.served == "<model>" else self.served


def row(id: str, subject: Subject, effect: Effect, *codes: ReasonCode, **kw: Any) -> Any:
    return pytest.param(Row(id, subject, effect, frozenset(codes), **kw), id=id)


NOT_RESTRICTED = C.NOT_RESTRICTED
IN_LICENSE = dict(licenses=(grant("L-IN", "subject:alice"),))

ROWS = [
    # Who is a foreign person (DESIGN.md: citizen, LPR, protected individual are U.S. persons).
    row("us-citizen-in-us-allowed", US_CITIZEN, ALLOW, NOT_RESTRICTED),
    row("us-citizen-in-us-mythos-allowed", US_CITIZEN, ALLOW, NOT_RESTRICTED, model="mythos-5"),
    row("indian-national-inside-us-deemed-export", INDIAN, DENY, C.DEEMED_EXPORT),
    row("indian-national-inside-us-mythos-deemed-export", INDIAN, DENY, C.DEEMED_EXPORT, model="mythos-5"),
    row("provider-foreign-employee-denied", person("IN", organization="provider"), DENY, C.DEEMED_EXPORT),
    row("green-card-holder-allowed", person("IN", us_person=UsPersonStatus.LPR), ALLOW, NOT_RESTRICTED),
    row("us-residence-on-file-is-lpr-allowed", person("IN", residence="US"), ALLOW, NOT_RESTRICTED),
    row("refugee-protected-allowed", person("UA", us_person=UsPersonStatus.PROTECTED), ALLOW, NOT_RESTRICTED),
    row("asylee-without-citizenship-on-file-allowed", person(us_person=UsPersonStatus.PROTECTED), ALLOW,
        NOT_RESTRICTED),
    row("dual-national-with-us-citizenship-allowed", person("IN", "US"), ALLOW, NOT_RESTRICTED),
    row("us-citizen-travelling-in-china-not-a-foreign-person", US_CITIZEN, ALLOW, NOT_RESTRICTED,
        location=Place("CN")),
    row("uk-national-in-uk-location-and-deemed", person("GB"), DENY, C.LOCATION, C.DEEMED_EXPORT,
        location=Place("GB")),
    row("indian-national-abroad-in-china", INDIAN, DENY, C.LOCATION, C.DEEMED_EXPORT, location=Place("CN")),
    row("foreign-resident-without-citizenship-on-file", person(residence="IN"), DENY, C.DEEMED_EXPORT,
        C.UNKNOWN_CITIZENSHIP),
    # Deemed destination: most recent citizenship (EAR 734.13(b)), or every one.
    row("most-recent-citizenship-canada-deemed", person("IN@2001-05-01", "CA@2019-02-11"), DENY,
        C.DEEMED_EXPORT, directives=(directive(restrict={"destinations": ["CA"]}),)),
    row("older-citizenship-india-not-deemed", person("IN@2001-05-01", "CA@2019-02-11"), ALLOW,
        NOT_RESTRICTED, directives=(directive(restrict={"destinations": ["IN"]}),)),
    row("older-citizenship-india-counts-under-any-citizenship", person("IN@2001-05-01", "CA@2019-02-11"), DENY,
        C.CITIZENSHIP, directives=(directive(restrict={"destinations": ["IN"], "deemed": "any-citizenship"}),)),
    row("undated-citizenship-could-be-most-recent", person("IN@2001-05-01", "CA"), DENY, C.DEEMED_EXPORT,
        directives=(directive(restrict={"destinations": ["IN"]}),)),
    row("d5-group-reaches-chinese-national", person("CN"), DENY, C.DEEMED_EXPORT,
        directives=(directive(restrict={"destinations": ["group:D:5"]}),)),
    row("a5-excepted-uk-national-allowed", person("GB"), ALLOW, NOT_RESTRICTED,
        directives=(directive(except_={"destinations": ["group:A:5"]}),)),
    # Crimea: a region named by ISO 3166-2, whoever the caller is.
    row("us-citizen-in-crimea-denied", US_CITIZEN, DENY, C.LOCATION, location=CRIMEA,
        directives=(CRIMEA_DIRECTIVE,)),
    row("us-citizen-in-sevastopol-denied", US_CITIZEN, DENY, C.LOCATION, location=SEVASTOPOL,
        directives=(CRIMEA_DIRECTIVE,)),
    row("us-citizen-in-kyiv-allowed", US_CITIZEN, ALLOW, NOT_RESTRICTED, location=KYIV,
        directives=(CRIMEA_DIRECTIVE,)),
    row("us-citizen-in-ukraine-unknown-region-allowed", US_CITIZEN, ALLOW, NOT_RESTRICTED, location=Place("UA"),
        directives=(CRIMEA_DIRECTIVE,)),
    row("ukrainian-national-in-us-not-in-a-region-zone", person("UA"), ALLOW, NOT_RESTRICTED,
        directives=(CRIMEA_DIRECTIVE,)),
    row("crimea-and-bis-together-us-citizen-in-crimea", US_CITIZEN, DENY, C.LOCATION, location=CRIMEA,
        directives=(BIS, CRIMEA_DIRECTIVE)),
    # Unknown is never domestic.
    row("unknown-citizenship-denied", NOBODY, DENY, C.UNKNOWN_CITIZENSHIP),
    row("unknown-citizenship-unknown-allow-allowed", NOBODY, ALLOW, NOT_RESTRICTED,
        directives=(directive(restrict={"unknown": "allow"}),)),
    row("unknown-citizenship-under-region-only-zone-allowed", NOBODY, ALLOW, NOT_RESTRICTED,
        directives=(CRIMEA_DIRECTIVE,)),
    row("unknown-location-us-citizen-under-destination-list", US_CITIZEN, DENY, C.UNKNOWN_LOCATION,
        location=None, directives=(CRIMEA_DIRECTIVE,)),
    row("unknown-location-us-citizen-unknown-allow", US_CITIZEN, ALLOW, NOT_RESTRICTED, location=None,
        directives=(directive("OFAC-CRIMEA-1", restrict={"persons": "all", "destinations": ["UA-43", "UA-40"],
                                                         "unknown": "allow"}),)),
    row("unknown-location-us-citizen-under-bis-allowed", US_CITIZEN, ALLOW, NOT_RESTRICTED, location=None),
    row("unknown-location-foreign-national-under-bis", INDIAN, DENY, C.UNKNOWN_LOCATION, C.DEEMED_EXPORT,
        location=None),
    # Licenses: they lift only where they cover the directive, the model and the destination.
    row("license-for-the-caller-lifts", INDIAN, ALLOW, C.LICENSED, **IN_LICENSE),
    row("license-expired", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-IN", "subject:alice", valid_from="2026-11-17", valid_until="2026-11-19"),)),
    row("license-expires-at-the-instant", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-IN", "subject:alice", valid_until=NOW),)),
    row("license-not-yet-valid", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-IN", "subject:alice", valid_from="2026-12-01"),)),
    row("license-valid-from-the-instant", INDIAN, ALLOW, C.LICENSED,
        licenses=(grant("L-IN", "subject:alice", valid_from=NOW),)),
    row("license-for-another-model", INDIAN, DENY, C.DEEMED_EXPORT, model="mythos-5", **IN_LICENSE),
    row("license-for-the-family-covers-the-model", INDIAN, ALLOW, C.LICENSED,
        licenses=(grant("L-IN", "subject:alice", models=["family:fable"]),)),
    row("license-for-another-directive", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-IN", "subject:alice", directives=["OFAC-CRIMEA-1"]),)),
    row("license-for-another-destination", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-IN", "subject:alice", destinations=["CN"]),)),
    row("license-for-the-deemed-destination", INDIAN, ALLOW, C.LICENSED,
        licenses=(grant("L-IN", "subject:alice", destinations=["IN"]),)),
    row("license-suspended", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-IN", "subject:alice", status="suspended"),)),
    row("license-revoked", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-IN", "subject:alice", status="revoked"),)),
    row("license-of-another-subject", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-BOB", "subject:bob"),)),
    row("license-held-by-callers-organisation-lifts", person("IN", organization="provider"), ALLOW, C.LICENSED,
        licenses=(grant("L-ORG", "organization:provider"),)),
    row("license-held-by-another-organisation", person("IN", organization="provider"), DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-ORG", "organization:acme"),)),
    row("destination-held-license-lifts", INDIAN, ALLOW, C.LICENSED,
        licenses=(grant("L-DEST-IN", "destination:IN"),)),
    row("destination-held-license-elsewhere", INDIAN, DENY, C.DEEMED_EXPORT,
        licenses=(grant("L-DEST-CN", "destination:CN"),)),
    row("license-under-licensing-none", INDIAN, DENY, C.DEEMED_EXPORT,
        directives=(directive(licensing="none"),), **IN_LICENSE),
    row("license-covers-only-one-of-two-triggers", INDIAN, DENY, C.LOCATION, C.DEEMED_EXPORT,
        location=Place("CN"), licenses=(grant("L-IN", "subject:alice", destinations=["IN"]),)),
    row("two-licenses-cover-both-triggers", INDIAN, ALLOW, C.LICENSED, location=Place("CN"),
        licenses=(grant("L-IN", "subject:alice", destinations=["IN"]), grant("L-DEST-CN", "destination:CN"))),
    row("no-license-lifts-unknown-citizenship-by-destination", NOBODY, DENY, C.UNKNOWN_CITIZENSHIP,
        licenses=(grant("L-DEST-IN", "destination:IN"),)),
    row("subject-license-without-destinations-lifts-unknown", NOBODY, ALLOW, C.LICENSED,
        licenses=(grant("L-ALICE", "subject:alice"),)),
    # Shadow mode, dates, other models.
    row("shadow-directive-listed-effect-unchanged", INDIAN, ALLOW, NOT_RESTRICTED,
        directives=(directive(mode="shadow"),), shadow=frozenset({("BIS-2026-AI-001", DENY)})),
    row("shadow-directive-lifted-not-listed", INDIAN, ALLOW, NOT_RESTRICTED,
        directives=(directive(mode="shadow"),), **IN_LICENSE),
    row("shadow-beside-enforced", INDIAN, DENY, C.DEEMED_EXPORT,
        directives=(BIS, directive("BIS-2026-AI-002", mode="shadow", action="degrade", degrade_to="fable-4")),
        shadow=frozenset({("BIS-2026-AI-002", DEGRADE)})),
    row("draft-directive-ignored", INDIAN, ALLOW, NOT_RESTRICTED, directives=(directive(mode="draft"),)),
    row("revoked-directive-ignored", INDIAN, ALLOW, NOT_RESTRICTED, directives=(directive(mode="revoked"),)),
    row("directive-not-yet-effective", INDIAN, ALLOW, NOT_RESTRICTED,
        at=EFFECTIVE - timedelta(seconds=1)),
    row("directive-effective-at-the-instant", INDIAN, DENY, C.DEEMED_EXPORT, at=EFFECTIVE),
    row("directive-expired", INDIAN, ALLOW, NOT_RESTRICTED,
        directives=(directive(expires="2026-11-20T00:00:00Z"),)),
    row("directive-expires-at-the-instant", INDIAN, ALLOW, NOT_RESTRICTED,
        directives=(directive(expires=NOW),)),
    row("other-model-fable-4-unaffected", INDIAN, ALLOW, NOT_RESTRICTED, model="fable-4"),
    row("unknown-model-denied", US_CITIZEN, DENY, C.UNKNOWN_MODEL, model="fable-6"),
    row("what-the-provider-did-full-blackout", US_CITIZEN, DENY, C.DOMESTIC,
        directives=(directive(restrict={"persons": "all", "destinations": "all"}),)),
    row("listed-party-us-citizen-denied", person("US", organization="acme"), DENY, C.LISTED_PARTY,
        directives=(directive("BIS-ENTITY-1", restrict={"persons": "none", "parties": ["organization:acme"]}),)),
    # Partial restriction instead of a blackout: degrade, safeguards.
    row("degrade-serves-the-fallback", INDIAN, DEGRADE, C.DEEMED_EXPORT, served="fable-4",
        directives=(directive(action="degrade", degrade_to="fable-4"),)),
    row("degrade-us-citizen-keeps-the-model", US_CITIZEN, ALLOW, NOT_RESTRICTED,
        directives=(directive(action="degrade", degrade_to="fable-4"),)),
    row("degrade-fallback-itself-denied", INDIAN, DENY, C.DEEMED_EXPORT, C.FALLBACK_RESTRICTED,
        directives=(directive(action="degrade", degrade_to="fable-4"),
                    directive("BIS-2026-AI-003", scope={"models": ["fable-4"]}))),
    row("degrade-fallback-cycle-denied", INDIAN, DENY, C.DEEMED_EXPORT, C.FALLBACK_RESTRICTED,
        directives=(directive(scope={"models": ["fable-5"]}, action="degrade", degrade_to="mythos-5"),
                    directive("BIS-2026-AI-003", scope={"models": ["mythos-5"]}, action="degrade",
                              degrade_to="fable-5"))),
    row("deny-beats-degrade", INDIAN, DENY, C.DEEMED_EXPORT,
        directives=(BIS, directive("BIS-2026-AI-002", action="degrade", degrade_to="fable-4"))),
    row("degrade-with-safeguarded-fallback", INDIAN, DEGRADE, C.DEEMED_EXPORT, served="fable-4",
        directives=(directive(action="degrade", degrade_to="fable-4"),
                    directive("BIS-2026-AI-003", scope={"models": ["fable-4"]}, action="safeguard",
                              safeguards={"jailbreak_threshold": 0.3})),
        obligations={"jailbreak_threshold": 0.3}),
    row("safeguards-merged-from-two-directives", INDIAN, SAFEGUARD, C.DEEMED_EXPORT,
        directives=(directive(action="safeguard", safeguards={"jailbreak_threshold": 0.3,
                                                              "block_capabilities": ["cyber-offense"]}),
                    directive("BIS-2026-AI-002", action="safeguard",
                              safeguards={"jailbreak_threshold": 0.2, "block_capabilities": ["cbrn-weapons"]})),
        obligations={"jailbreak_threshold": 0.2, "block_capabilities": ["cbrn-weapons", "cyber-offense"]}),
    row("safeguard-only-for-a-capability-asked", INDIAN, SAFEGUARD, C.DEEMED_EXPORT,
        capabilities=frozenset({"cyber-offense"}),
        directives=(directive(scope={"models": ["fable-5"], "capabilities": ["cyber-offense"]},
                              action="safeguard", safeguards={"block_capabilities": ["cyber-offense"]}),),
        obligations={"block_capabilities": ["cyber-offense"]}),
    row("safeguard-capability-not-asked", INDIAN, ALLOW, NOT_RESTRICTED,
        directives=(directive(scope={"models": ["fable-5"], "capabilities": ["cyber-offense"]},
                              action="safeguard", safeguards={"block_capabilities": ["cyber-offense"]}),)),
]


def _engine(r: Row) -> Outcome:
    policy = pytest.importorskip("clearance.policy")
    snapshot = policy.compile_snapshot(list(r.directives), list(r.licenses), catalog=DEMO_CATALOG,
                                       groups=GROUPS, home_country=HOME)
    d = snapshot.decide(policy.DecisionRequest(subject=r.subject, model=r.model, location=r.location,
                                               capabilities=r.capabilities, at=r.at))
    return Outcome(d.effect, d.served_model, dict(d.obligations),
                   frozenset((x.code, x.directive, x.license) for x in d.reasons),
                   frozenset((h.directive, h.effect) for h in d.shadow))


def _reference(r: Row) -> Outcome:
    return reference_decide(r.subject, r.model, r.location, r.capabilities, r.at, directives=r.directives,
                            licenses=r.licenses, catalog=DEMO_CATALOG, groups=GROUPS, home_country=HOME)


DECIDERS: dict[str, Callable[[Row], Outcome]] = {"engine": _engine, "reference": _reference}


@pytest.mark.parametrize("decider", list(DECIDERS))
@pytest.mark.parametrize("case", ROWS)
def test_news_scenario(case: Row, decider: str) -> None:
    got = DECIDERS[decider](case)
    assert got.effect is case.effect
    assert got.served_model == case.served_model
    assert {code for code, _, _ in got.reasons} == case.codes
    assert got.shadow == case.shadow
    assert got.obligations == case.obligations
    licensed = {lic for code, _, lic in got.reasons if code is C.LICENSED}
    assert None not in licensed, "a LICENSED reason names its license"
    assert all(d in {x.id for x in case.directives} for code, d, _ in got.reasons if d is not None)


def test_crimea_ip_is_located_in_crimea() -> None:
    """The story's Crimean caller: the bundled GeoLite2 build puts 31.135.96.1 in UA-43."""
    geo = pytest.importorskip("clearance.geo.locator")
    with geo.Geolocator.open() as locator:
        assert locator.locate("31.135.96.1") == CRIMEA
