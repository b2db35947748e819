"""Policy decisions per second, median and p99 µs, cold (cache miss) and warm, beside bare Cedar.

World: 100 directives, 10,000 licenses, 100,000 subjects (DESIGN.md's budget: ≤ 10 µs cached,
≤ 150 µs cold), in two shapes measured in the same run:

- dense: 10 models, and directives that mostly name whole families or tiers and every destination,
  so one model is under ~50 directives and a foreign caller trips a dozen at once (a worst case);
- spread: 20 models, directives that name a model or two and a few countries, as real export
  controls do (a typical case).

Run by hand:  .venv/bin/python benchmarks/decisions.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import cedarpy

from clearance.domain.catalog import Catalog, ModelSpec
from clearance.domain.countries import Place
from clearance.domain.directives import Directive
from clearance.domain.groups import CountryGroups, bundled_groups
from clearance.domain.licenses import License
from clearance.domain.subjects import Nationality, Subject, UsPersonStatus
from clearance.policy import Decider, DecisionRequest, compile_snapshot
from clearance.policy.compiler import BASELINE, compile_directive

COUNTRIES = ["CN", "RU", "IN", "GB", "FR", "DE", "CA", "BR", "IR", "KP", "UA", "JP", "MX", "NG", "VN", "PK"]
GROUPS = ["group:D:5", "group:D:1", "group:E:1", "group:A:5", "group:B"]
AT = datetime(2026, 11, 25, 12, tzinfo=UTC)


World = tuple[Catalog, CountryGroups, list[Directive], list[License], list[Subject]]


def world(rng: random.Random, n_directives: int, n_licenses: int, n_subjects: int, spread: bool = False) -> World:
    families = ["fable", "mythos", "saga"]
    n_models = 20 if spread else 10
    catalog = Catalog.of(ModelSpec(f"{families[i % 3]}-{i}", family=families[i % 3],
                                   tier="frontier" if i < 4 else "standard") for i in range(n_models))
    groups = bundled_groups()
    ctx = {"groups": groups, "catalog": catalog, "home_country": "US"}
    model_ids = sorted(catalog.models)
    directives = []
    for i in range(n_directives):
        if spread:
            pick = rng.random()
            scope = (rng.sample(model_ids, rng.randint(1, 2)) if pick < 0.85
                     else [f"family:{rng.choice(families)}"] if pick < 0.95 else ["tier:frontier"])
            dests: object = "all" if rng.random() < 0.1 else rng.sample(COUNTRIES + GROUPS, rng.randint(1, 4))
        else:
            scope = rng.choice([
                rng.sample(model_ids, rng.randint(1, 3)),
                [f"family:{rng.choice(families)}"],
                ["tier:frontier"],
            ])
            dests = "all" if rng.random() < 0.3 else rng.sample(COUNTRIES + GROUPS, rng.randint(1, 4))
        action = rng.choice(["deny", "deny", "safeguard", "degrade"])
        data = {
            "id": f"DIR-{i:03d}", "title": f"directive {i}", "authority": "BIS", "issued": "2026-11-01",
            "effective": (datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 20))).isoformat(),
            "mode": rng.choice(["enforce", "enforce", "enforce", "shadow"]),
            "scope": {"models": scope},
            "restrict": {"persons": rng.choice(["foreign", "foreign", "all"] if spread else ["foreign", "all"]),
                         "destinations": dests,
                         "deemed": rng.choice(["most-recent", "any-citizenship"])},
            "except": {"destinations": rng.sample(["GB", "CA", "group:A:5"], rng.randint(0, 1))},
            "action": action,
            "message": "restricted",
        }
        if action == "degrade":
            outside = [m for m in model_ids if m not in scope and not any(s.startswith(("family:", "tier:"))
                                                                          for s in scope)]
            if not outside:
                data["action"] = "deny"
            else:
                data["degrade_to"] = rng.choice(outside)
        if data["action"] == "safeguard":
            data["safeguards"] = {"jailbreak_threshold": round(rng.uniform(0.1, 0.9), 2)}
        directives.append(Directive.model_validate(data, context=ctx))
    subjects = []
    for i in range(n_subjects):
        kind = rng.random()
        if kind < 0.5:
            s = Subject(f"s{i}", organization=f"org{i % 500}", citizenships=(Nationality("US"),),
                        us_person=UsPersonStatus.CITIZEN)
        else:
            cits = tuple(Nationality(c, date(1990 + rng.randint(0, 30), 1, 1))
                         for c in rng.sample(COUNTRIES, rng.randint(1, 2)))
            s = Subject(f"s{i}", organization=f"org{i % 500}", citizenships=cits)
        subjects.append(s)
    licenses = []
    for i in range(n_licenses):
        holder = rng.choice([f"subject:s{rng.randrange(n_subjects)}", f"organization:org{rng.randrange(500)}"])
        licenses.append(License.model_validate({
            "id": f"LIC-{i:05d}", "holder": holder,
            "models": rng.sample(model_ids, rng.randint(1, 2)),
            "directives": [f"DIR-{rng.randrange(n_directives):03d}"],
            "destinations": rng.sample(COUNTRIES, rng.randint(0, 2)),
            "valid_from": "2026-11-01", "valid_until": "2027-11-01",
        }, context=ctx))
    return catalog, groups, directives, licenses, subjects


def measure(fn: Callable[[int], object], n: int) -> list[float]:
    out = []
    for i in range(n):
        t0 = time.perf_counter_ns()
        fn(i)
        out.append((time.perf_counter_ns() - t0) / 1000)
    return out


def row(name: str, samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p99 = samples[int(len(samples) * 0.99) - 1]
    rate = 1e6 / statistics.fmean(samples)
    return f"| {name:<48} | {rate:>12,.0f} | {p50:>9.1f} | {p99:>9.1f} |"


def profile(name: str, spread: bool, quick: bool) -> None:
    rng = random.Random(7)
    sizes = (20, 1_000, 5_000) if quick else (100, 10_000, 100_000)
    t0 = time.perf_counter()
    catalog, groups, directives, licenses, subjects = world(rng, *sizes, spread=spread)
    t_world = time.perf_counter() - t0
    t0 = time.perf_counter()
    snapshot = compile_snapshot(directives, licenses, catalog=catalog, groups=groups)
    t_compile = time.perf_counter() - t0
    models = sorted(catalog.models)
    places = [Place("US")] * 6 + [Place(c) for c in COUNTRIES[:4]] + [Place("UA", "UA-43"), None]
    n = 5_000 if quick else 20_000
    requests = [DecisionRequest(rng.choice(subjects), rng.choice(models), rng.choice(places), AT) for _ in range(n)]
    per_model = [sum(1 for d in snapshot.directives.values() if m in catalog.select(d.scope.models)) for m in models]
    busiest = models[per_model.index(max(per_model))]
    print(f"\n## {name}: {len(directives)} directives, {len(licenses):,} licenses, {len(subjects):,} subjects, "
          f"{len(models)} models (directives per model: median {statistics.median(per_model):.0f}, "
          f"max {max(per_model)})")
    print(f"world built in {t_world:.1f} s; policy compiled in {t_compile * 1000:.0f} ms\n")

    # A foreign caller deemed to go to China, asking for the busiest model: all its directives, and
    # the slice of them Clearance actually evaluates for that request.
    bare = {"principal": {"type": "Clearance::Subject", "id": "s1"},
            "action": {"type": "Clearance::Action", "id": "invoke"},
            "resource": {"type": "Clearance::Target", "id": f"{busiest}|CN"},
            "context": {"now": 1_795_000_000_000_000, "person": "foreign", "basis": "deemed"}}
    scoped = [compile_directive(d, groups, "US") for d in snapshot.directives.values()
              if busiest in catalog.select(d.scope.models)]
    unsliced = cedarpy.PolicySet.from_str("\n\n".join([BASELINE, *scoped]))
    chosen = snapshot._policy_sets[(busiest, "foreign", "deemed", "CN")]
    sliced = chosen.policies if chosen is not None else cedarpy.PolicySet.from_str(BASELINE)
    entities = snapshot._entities
    unsliced_samples = measure(lambda i: cedarpy.is_authorized(bare, unsliced, entities), n)
    bare_samples = measure(lambda i: cedarpy.is_authorized(bare, sliced, entities), n)

    def uncached(i: int) -> object:
        snapshot.forget()  # no memo of verdicts or Cedar's answers either: every slot goes to Cedar
        return snapshot.decide(requests[i])

    coldest = measure(uncached, n)
    cold = measure(lambda i: snapshot.decide(requests[i]), n)
    decider = Decider(snapshot)
    hot = requests[:200]
    for r in hot:
        decider.decide(r)
    warm = measure(lambda i: decider.decide(hot[i % len(hot)]), n)
    mixed_decider = Decider(snapshot)
    mixed = measure(lambda i: mixed_decider.decide(requests[i % 2_000]), n)

    print(f"| {'path':<48} | {'decisions/s':>12} | {'p50 µs':>9} | {'p99 µs':>9} |")
    print(f"|{'-' * 50}|{'-' * 14}|{'-' * 11}|{'-' * 11}|")
    print(row(f"bare Cedar, all {len(scoped)} directives of {busiest}", unsliced_samples))
    print(row("bare Cedar, the slice evaluated for it", bare_samples))
    print(row("cold: nothing cached, every slot to Cedar", coldest))
    print(row("cold: decision-cache miss (verdict, Cedar memos)", cold))
    print(row("warm: Decider.decide (cache hit)", warm))
    print(row("mixed: 2,000 distinct keys, cache filling", mixed))
    print(f"\nnothing cached / bare Cedar (all directives) p50: "
          f"{statistics.median(coldest) / statistics.median(unsliced_samples):.2f}x; "
          f"warm / cold p50: {statistics.median(warm) / statistics.median(cold):.3f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a smaller world, for a smoke run")
    args = parser.parse_args()
    profile("spread (typical)", True, args.quick)
    profile("dense (worst case)", False, args.quick)


if __name__ == "__main__":
    main()
