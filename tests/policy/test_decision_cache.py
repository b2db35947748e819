"""The decision cache never serves a stale answer.

Every cached answer must equal what the snapshot in force says now, uncached: across subjects that
change under the same id, instants that cross a directive's or a license's validity boundary, and
a policy swap (a directive or license applied, revoked or changed).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.domain.decisions import Decision
from clearance.policy import Decider, DecisionRequest, PolicySnapshot, compile_snapshot
from strategies import GROUPS, HOME, Request, World, requests, worlds


def _essence(decision: Decision) -> dict[str, Any]:
    data = decision.to_json()
    data.pop("decision_id")
    return data


def _compile(world: World) -> PolicySnapshot:
    return compile_snapshot(world.directives, world.licenses, catalog=world.catalog, groups=GROUPS,
                            home_country=HOME)


def _ask(request: Request) -> DecisionRequest:
    return DecisionRequest(request.subject, request.model, request.location, request.at, request.capabilities)


@st.composite
def sessions(draw: st.DrawFn) -> tuple[World, World, list[Request], int]:
    first = draw(worlds())
    second = draw(worlds())
    catalog = first.catalog
    second = World(catalog, second.directives, tuple(
        lic for lic in second.licenses if all(m in catalog or ":" in m for m in lic.models)))
    asked = draw(st.lists(requests(catalog), min_size=5, max_size=25))
    # Ask again, so the cache is hit: the same requests, some a little later (maybe across a boundary).
    again = [Request(r.subject, r.model, r.location, r.capabilities, r.at + timedelta(hours=draw(st.sampled_from(
        [0, 0, 1, 12, 24])))) for r in asked]
    swap_at = draw(st.integers(0, len(asked) * 2))
    return first, second, asked + again, swap_at


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_cached_answers_equal_fresh_ones(session: tuple[World, World, list[Request], int]) -> None:
    first, second, asked, swap_at = session
    snapshot = _compile(first)
    decider = Decider(snapshot)
    for i, request in enumerate(asked):
        if i == swap_at:
            try:
                snapshot = _compile(second)
            except Exception:  # a second world this catalog cannot serve: keep the first
                continue
            decider.swap(snapshot)
        assert _essence(decider.decide(_ask(request))) == _essence(snapshot.decide(_ask(request)))
    hits = decider.cache.hits
    repeat = _ask(asked[-1])
    assert _essence(decider.decide(repeat)) == _essence(snapshot.decide(repeat))
    assert decider.cache.hits == hits + 1  # the answer just given was cached, and served


def test_a_changed_subject_is_decided_again() -> None:
    from datetime import UTC, datetime

    from clearance.domain.catalog import DEMO_CATALOG
    from clearance.domain.countries import Place
    from clearance.domain.directives import Directive
    from clearance.domain.subjects import Nationality, Subject, UsPersonStatus

    directive = Directive.model_validate({
        "id": "D", "title": "t", "authority": "a", "issued": "2026-11-16", "effective": "2026-11-16",
        "mode": "enforce", "scope": {"models": ["fable-5"]}, "restrict": {"persons": "foreign"}},
        context={"groups": GROUPS, "catalog": DEMO_CATALOG, "home_country": HOME})
    decider = Decider(compile_snapshot([directive], [], catalog=DEMO_CATALOG, groups=GROUPS))
    at = datetime(2026, 11, 20, tzinfo=UTC)
    before = Subject("p", citizenships=(Nationality("IN"),))
    after = Subject("p", citizenships=(Nationality("IN"),), us_person=UsPersonStatus.LPR)  # got a green card
    assert decider.decide(DecisionRequest(before, "fable-5", Place("US"), at)).effect.value == "deny"
    assert decider.decide(DecisionRequest(after, "fable-5", Place("US"), at)).effect.value == "allow"
    assert decider.decide(DecisionRequest(before, "fable-5", Place("US"), at)).effect.value == "deny"
    assert decider.cache.hits == 1


def test_a_hit_gets_its_own_id_and_instant() -> None:
    from datetime import UTC, datetime

    from clearance.domain.catalog import DEMO_CATALOG
    from clearance.domain.countries import Place
    from clearance.domain.subjects import Nationality, Subject

    decider = Decider(compile_snapshot([], [], catalog=DEMO_CATALOG, groups=GROUPS))
    subject = Subject("p", citizenships=(Nationality("US"),))
    first = decider.decide(DecisionRequest(subject, "fable-5", Place("US"), datetime(2026, 11, 20, tzinfo=UTC)))
    second = decider.decide(DecisionRequest(subject, "fable-5", Place("US"), datetime(2026, 11, 21, tzinfo=UTC)))
    assert decider.cache.hits == 1
    assert first.decision_id != second.decision_id
    assert second.at == datetime(2026, 11, 21, tzinfo=UTC)


def test_cedar_answers_are_shared_by_attributes_but_not_across_listed_parties() -> None:
    """Callers alike in everything Cedar sees share its answer; a listed party is not alike."""
    from datetime import UTC, datetime

    from clearance.domain.catalog import DEMO_CATALOG
    from clearance.domain.countries import Place
    from clearance.domain.directives import Directive
    from clearance.domain.subjects import Nationality, Subject

    context = {"groups": GROUPS, "catalog": DEMO_CATALOG, "home_country": HOME}
    common = {"title": "t", "authority": "a", "issued": "2026-11-16", "effective": "2026-11-16", "mode": "enforce",
              "scope": {"models": ["fable-5"]}}
    directives = [
        Directive.model_validate({**common, "id": "D-CN", "restrict": {"persons": "foreign",
                                                                       "destinations": ["CN"]}}, context=context),
        Directive.model_validate({**common, "id": "D-PARTY", "restrict": {"persons": "none",
                                                                          "parties": ["subject:mallory"]}},
                                 context=context),
    ]
    snapshot = compile_snapshot(directives, [], catalog=DEMO_CATALOG, groups=GROUPS)
    at = datetime(2026, 11, 20, tzinfo=UTC)

    def ask(who: str) -> Decision:
        subject = Subject(who, citizenships=(Nationality("FR"),))
        return snapshot.decide(DecisionRequest(subject, "fable-5", Place("US"), at))

    assert ask("alice").effect.value == "allow"
    hits = snapshot._verdicts.hits
    assert ask("bob").effect.value == "allow"  # same nationality, same place: the verdict reused
    assert snapshot._verdicts.hits == hits + 1
    snapshot._verdicts.clear()
    hits = snapshot._answers.hits
    assert ask("carol").effect.value == "allow"  # and, the verdict gone, Cedar's answer beneath it
    assert snapshot._answers.hits == hits + 1
    mallory = ask("mallory")
    assert mallory.effect.value == "deny" and mallory.reasons[0].code.value == "LISTED_PARTY"
    assert ask("dave").effect.value == "allow"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(worlds(), worlds(licensing=True)), st.data())
def test_memoised_answers_equal_fresh_ones(world: World, data: st.DataObject) -> None:
    """A snapshot's memos (verdicts, Cedar's answers) shared by alike callers change no decision.

    Requests are decided once with the memos filling up, shared between callers alike in what
    the rules look at, then each again with every memo dropped, so Cedar answers afresh.
    """
    snapshot = _compile(world)
    asked = data.draw(st.lists(requests(world.catalog), min_size=10, max_size=30))
    # Alike callers: the same requests again under other subject ids of the same organisation.
    asked += [Request(replace(r.subject, id=r.subject.id + "-twin"), r.model, r.location, r.capabilities, r.at)
              for r in asked[:10]]
    memoised = [_essence(snapshot.decide(_ask(r))) for r in asked]
    fresh = []
    for r in asked:
        snapshot.forget()
        fresh.append(_essence(snapshot.decide(_ask(r))))
    assert memoised == fresh


def test_a_fallback_is_judged_with_the_callers_own_licenses() -> None:
    """Two callers alike for the asked model differ on its fallback: one holds a license for it."""
    from datetime import UTC, datetime

    from clearance.domain.catalog import DEMO_CATALOG
    from clearance.domain.countries import Place
    from clearance.domain.directives import Directive
    from clearance.domain.licenses import License
    from clearance.domain.subjects import Nationality, Subject

    context = {"groups": GROUPS, "catalog": DEMO_CATALOG, "home_country": HOME}
    common = {"title": "t", "authority": "a", "issued": "2026-11-16", "effective": "2026-11-16", "mode": "enforce",
              "restrict": {"persons": "foreign"}}
    directives = [
        Directive.model_validate({**common, "id": "D-5", "scope": {"models": ["fable-5"]}, "action": "degrade",
                                  "degrade_to": "fable-4"}, context=context),
        Directive.model_validate({**common, "id": "D-4", "scope": {"models": ["fable-4"]}}, context=context),
    ]
    license_ = License.model_validate({"id": "L1", "holder": "subject:alice", "models": ["fable-4"],
                                       "valid_from": "2026-11-16"}, context=context)
    snapshot = compile_snapshot(directives, [license_], catalog=DEMO_CATALOG, groups=GROUPS)
    at = datetime(2026, 11, 20, tzinfo=UTC)

    def ask(who: str) -> Decision:
        return snapshot.decide(DecisionRequest(Subject(who, citizenships=(Nationality("CN"),)), "fable-5",
                                               Place("US"), at))

    for _ in range(2):
        alice, bob = ask("alice"), ask("bob")
        assert (alice.effect.value, alice.served_model) == ("degrade", "fable-4")
        assert "LICENSED" in {r.code.value for r in alice.reasons}
        assert (bob.effect.value, bob.served_model) == ("deny", None)
        assert "FALLBACK_RESTRICTED" in {r.code.value for r in bob.reasons}
