"""Screening verdicts in decisions (docs/rules.md §9), through a home on SQLite and PostgreSQL, and
differentially against the reference evaluator on generated worlds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workflow_helpers import CAST, subject, write_ftm

from clearance.domain.catalog import DEMO_CATALOG
from clearance.domain.decisions import Decision, Effect, ReasonCode
from clearance.domain.directives import Directive
from clearance.domain.licenses import License
from clearance.domain.screening import PendingPolicy, ScreeningResult, ScreeningStatus
from clearance.home import Home
from clearance.policy import Decider, DecisionRequest, compile_snapshot
from clearance.screening import load_list
from clearance.screening.verdicts import ScreeningVerdicts
from clearance.settings import default_toml
from clearance.store import Store
from reference import Outcome, reference_decide
from strategies import GROUPS, HOME, T0, Request, World, requests, worlds

START = datetime(2026, 11, 1, tzinfo=UTC)
NOW = START + timedelta(days=10)


@pytest.fixture
def home(store: Store, store_url: str, tmp_path: Path) -> Iterator[Home]:
    """A home on the test's database with everyone-deny directive D1 for fable-5, licenses for ivan, olga and
    carol that lift it, the cast imported and a list naming ivan and olga's organisation loaded."""
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "clearance.toml").write_text(default_toml(), encoding="utf-8")
    opened = Home.open(tmp_path / "home", database_url=store_url)
    context = {"groups": opened.groups, "catalog": opened.catalog, "home_country": "US"}
    directive = Directive.model_validate(
        {"id": "D1", "title": "everyone", "authority": "Test", "issued": START.date(), "effective": START,
         "mode": "enforce", "scope": {"models": ["fable-5"]}, "restrict": {"persons": "all"}}, context=context)
    opened.store.apply_directives([directive], source="test", source_text="", actor="t")
    opened.store.add_licenses([License.model_validate(
        {"id": f"L-{who}", "holder": f"subject:{who}", "valid_from": START, "models": ["fable-5"]}, context=context)
        for who in ("ivan", "olga", "carol")], actor="t")
    opened.store.import_subjects(CAST, actor="hr")
    opened.store.import_list(load_list(write_ftm(tmp_path / "list.jsonl"), "ftm"), name="Test", list_format="ftm",
                             actor="t")
    yield opened
    opened.close()


def _decide(home: Home, who: str, model: str = "fable-5") -> Decision:
    return home.compile().decide(DecisionRequest(home.store.subject(who), model, None, NOW))


def _codes(decision: Decision) -> list[str]:
    return [r.code.value for r in decision.reasons]


def _result(home: Home, party: str) -> ScreeningResult:
    return next(r for r in home.store.screening_results() if r.party == party)


def test_a_confirmed_party_is_denied_whatever_license_it_holds(home: Home) -> None:
    assert _codes(_decide(home, "carol")) == ["LICENSED"]  # the license does lift D1 for a clear caller
    ivan = _result(home, "subject:ivan")
    home.store.review_result(ivan.id, ScreeningStatus.CONFIRMED, reviewer="jo", reason="passport")
    decision = _decide(home, "ivan")
    assert decision.effect is Effect.DENY and decision.served_model is None and decision.obligations == {}
    [reason] = decision.reasons
    assert reason.code is ReasonCode.RESTRICTED_PARTY and reason.effect is Effect.DENY
    assert "Test entry ftm:P-ivan" in reason.detail and "score 0.92" in reason.detail
    assert reason.attribute == "restricted-party:Test:ftm:P-ivan"
    assert _decide(home, "ivan", "fable-4").effect is Effect.DENY  # every model, even one nothing restricts
    assert _decide(home, "ivan", "no-such-model").reasons[0].code is ReasonCode.RESTRICTED_PARTY


def test_a_confirmed_organisation_denies_every_subject_of_it(home: Home) -> None:
    org = _result(home, "organization:Rosneft Trading LLC")
    home.store.review_result(org.id, ScreeningStatus.CONFIRMED, reviewer="jo", reason="registry")
    assert _codes(_decide(home, "olga")) == ["RESTRICTED_PARTY"]
    snapshot = home.compile()
    newcomer = subject("zed", "Zed Newcomer", "Rosneft Trading LLC")  # not stored: still of that organisation
    assert _codes(snapshot.decide(DecisionRequest(newcomer, "fable-4", None, NOW))) == ["RESTRICTED_PARTY"]


def test_a_potential_match_follows_the_pending_setting(home: Home, monkeypatch: pytest.MonkeyPatch,
                                                       store_url: str) -> None:
    decision = _decide(home, "ivan")
    assert decision.effect is Effect.DENY and _codes(decision) == ["PENDING_REVIEW"]
    assert "awaiting review" in decision.reasons[0].detail
    monkeypatch.setenv("CLEARANCE_SCREENING__PENDING", "allow")
    allowing = Home.open(home.path, database_url=store_url)
    try:
        assert allowing.settings.screening.pending == "allow"
        licensed = _decide(allowing, "ivan")
        assert licensed.effect is Effect.ALLOW and sorted(_codes(licensed)) == ["LICENSED", "PENDING_REVIEW"]
        unrestricted = _decide(allowing, "ivan", "fable-4")
        assert sorted(_codes(unrestricted)) == ["NOT_RESTRICTED", "PENDING_REVIEW"]
    finally:
        allowing.close()


def test_a_dismissal_clears_and_a_recompiled_decider_never_serves_the_old_answer(home: Home) -> None:
    decider = Decider(home.compile())
    ivan = home.store.subject("ivan")
    first = decider.decide(DecisionRequest(ivan, "fable-5", None, NOW))
    assert _codes(first) == ["PENDING_REVIEW"]
    assert _codes(decider.decide(DecisionRequest(ivan, "fable-5", None, NOW))) == ["PENDING_REVIEW"]  # cached
    home.store.review_result(_result(home, "subject:ivan").id, ScreeningStatus.DISMISSED, reviewer="jo",
                             reason="namesake")
    recompiled = home.compile()
    assert recompiled.version != decider.snapshot.version  # a review is a new policy version
    decider.swap(recompiled)
    assert _codes(decider.decide(DecisionRequest(ivan, "fable-5", None, NOW))) == ["LICENSED"]


def test_callers_not_stored_are_screened_by_name(home: Home) -> None:
    snapshot = home.compile()
    decider = Decider(snapshot)
    stranger = subject("x-1", "Petrovsky, Ivan Sergeyevich")
    assert _codes(decider.decide(DecisionRequest(stranger, "fable-4", None, NOW))) == ["PENDING_REVIEW"]
    # Same id, fingerprint and everything but the name: the cache must not hand the first answer out.
    namesake = subject("x-1", "Carol Jones")
    assert namesake.fingerprint == stranger.fingerprint
    assert _codes(decider.decide(DecisionRequest(namesake, "fable-4", None, NOW))) == ["NOT_RESTRICTED"]
    # A stored id presenting another name is screened under that name, not given the stored verdict.
    impostor = subject("carol", "Ivan Sergeyevich Petrovsky")
    assert snapshot.verdict_of(impostor).status is ScreeningStatus.POTENTIAL
    assert snapshot.verdict_of(home.store.subject("carol")).status is ScreeningStatus.CLEAR


def test_a_stored_dismissal_counts_for_the_same_party_and_name_decided_ad_hoc(home: Home) -> None:
    ivan = _result(home, "subject:ivan")
    home.store.review_result(ivan.id, ScreeningStatus.DISMISSED, reviewer="jo", reason="namesake")
    snapshot = home.compile()
    assert snapshot.verdict_of(subject("ivan", "Ivan Petrovsky", "Other Org")).status is ScreeningStatus.CLEAR


def test_no_list_means_no_screening_and_the_same_policy_version(store: Store, store_url: str,
                                                                  tmp_path: Path) -> None:
    (tmp_path / "clearance.toml").write_text(default_toml(), encoding="utf-8")
    opened = Home.open(tmp_path, database_url=store_url)
    try:
        opened.store.import_subjects(CAST, actor="hr")
        snapshot = opened.compile()
        plain = compile_snapshot([], [], catalog=opened.catalog, groups=opened.groups)
        assert snapshot.version == plain.version
        assert snapshot.verdict_of(subject("x", "Ivan Sergeyevich Petrovsky")).status is ScreeningStatus.CLEAR
    finally:
        opened.close()


# -- differential: the engine and the reference agree on what a verdict does ------------------------------


def _observed(decision: Decision) -> Outcome:
    return Outcome(effect=decision.effect, served_model=decision.served_model,
                   obligations=dict(decision.obligations),
                   reasons=frozenset((r.code, r.directive, r.license) for r in decision.reasons),
                   shadow=frozenset((h.directive, h.effect) for h in decision.shadow))


def _verdicts(reqs: list[Request], statuses: list[str]) -> ScreeningVerdicts:
    """The real ScreeningVerdicts, holding one stored result per screened caller."""
    parties: dict[tuple[str, str], str] = {}
    results: list[ScreeningResult] = []
    for number, (req, status) in enumerate(zip(reqs, statuses, strict=True)):
        key = ("subject", req.subject.id)
        parties[key] = req.subject.name
        if status != "clear":
            results.append(ScreeningResult(
                id=number + 1, party_kind="subject", party_id=req.subject.id, party_name=req.subject.name,
                list_name="L", entry_id=f"e{number}", entry_name="Listed", entry_digest="d", matched_name="Listed",
                score=0.9, status=ScreeningStatus(status), screened_at=T0))
    return ScreeningVerdicts(parties=parties, results=results, pool=lambda: None, lists=["L"], digest="x")


@st.composite
def screened_cases(draw: st.DrawFn) -> tuple[World, list[Request], list[str], str]:
    world = draw(worlds())
    reqs = draw(st.lists(requests(world.catalog), min_size=5, max_size=15))
    # one verdict per subject id (the verdict belongs to the party, not to the request)
    by_id = {r.subject.id: draw(st.sampled_from(["clear", "potential", "confirmed", "dismissed"])) for r in reqs}
    unique: dict[str, Request] = {}
    for r in reqs:
        unique.setdefault(r.subject.id, r)
    kept = [r for r in reqs if r.subject == unique[r.subject.id].subject]
    return world, kept, [by_id[r.subject.id] for r in kept], draw(st.sampled_from(["deny", "allow"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=screened_cases())
def test_engine_agrees_with_reference_on_verdicts(case: tuple[World, list[Request], list[str], str]) -> None:
    world, reqs, statuses, pending = case
    snapshot = compile_snapshot(list(world.directives), list(world.licenses), catalog=world.catalog, groups=GROUPS,
                                home_country=HOME, screening=_verdicts(reqs, statuses), pending=PendingPolicy(pending))
    for req, status in zip(reqs, statuses, strict=True):
        got = _observed(snapshot.decide(DecisionRequest(req.subject, req.model, req.location, req.at,
                                                        req.capabilities)))
        seen = "clear" if status == "dismissed" else status
        want = reference_decide(req.subject, req.model, req.location, req.capabilities, req.at,
                                directives=world.directives, licenses=world.licenses, catalog=world.catalog,
                                groups=GROUPS, home_country=HOME, screening=seen, pending=pending)
        assert got == want, (req, status, pending)


@pytest.mark.parametrize(("status", "pending", "effect", "codes"), [
    ("clear", "deny", Effect.ALLOW, {"NOT_RESTRICTED"}),
    ("dismissed", "deny", Effect.ALLOW, {"NOT_RESTRICTED"}),
    ("potential", "deny", Effect.DENY, {"PENDING_REVIEW"}),
    ("potential", "allow", Effect.ALLOW, {"NOT_RESTRICTED", "PENDING_REVIEW"}),
    ("confirmed", "deny", Effect.DENY, {"RESTRICTED_PARTY"}),
    ("confirmed", "allow", Effect.DENY, {"RESTRICTED_PARTY"}),
])
def test_verdict_table(status: str, pending: str, effect: Effect, codes: set[str]) -> None:
    req = Request(subject("s1", "Someone"), "fable-5", None, frozenset(), T0)
    snapshot = compile_snapshot([], [], catalog=DEMO_CATALOG, groups=GROUPS, home_country=HOME,
                                screening=_verdicts([req], [status]), pending=PendingPolicy(pending))
    decision = snapshot.decide(DecisionRequest(req.subject, req.model, None, T0))
    assert decision.effect is effect and {r.code.value for r in decision.reasons} == codes
