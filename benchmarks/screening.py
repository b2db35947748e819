"""Restricted-party screening: index build, query latency, recall and false positives, beside brute force.

Lists: the real OFAC SDN of 2024-05-03 (14,965 entries); optionally a synthetic list of N names
(`--scale N`, e.g. 1000000) made of the SDN's and the synthetic negatives' words.  Queries: name-order,
typo and legal-form variants of 1,500 real entries (tests/screening/screening_variants.py), 65 real
entries written in other scripts (Cyrillic, Greek, Arabic, Persian, Hebrew, Chinese, Korean:
tests/screening/native_scripts.py), and 20,000 synthetic non-listed people (yente's negatives, about
a fifth of them written in Arabic, Chinese, Japanese or Korean script; their false-positive rate is
also shown by script).  The baseline is
what one would write first: rapidfuzz.process.extract over every normalised name.  At --scale the
"false positives" are not meaningful: the synthetic names are drawn from the negatives' own words,
so many of them are namesakes of the negatives; the figure there is for latency and recall.

Run by hand:  .venv/bin/python benchmarks/screening.py [--quick] [--scale 1000000]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "screening"))
from native_scripts import NATIVE_POSITIVES  # noqa: E402
from screening_data import DATA  # noqa: E402
from screening_variants import TRANSLITERATED, variants  # noqa: E402

from clearance.screening import ListEntry, Screener, load_list  # noqa: E402
from clearance.screening.normalize import normalize_name  # noqa: E402

THRESHOLDS = (0.82, 0.84, 0.86)
SCRIPTS = {"Arabic script": re.compile("[\u0600-\u06ff]"), "Chinese": re.compile("[\u4e00-\u9fff]"),
           "Hangul": re.compile("[\uac00-\ud7af]")}


def script_of(name: str) -> str:
    return next((script for script, pattern in SCRIPTS.items() if pattern.search(name)), "Latin and other")
Search = Callable[[str, float], set[str]]


def negatives(limit: int) -> list[str]:
    people: list[str] = []
    for name in ("cgb_negatives_global.csv", "cgb_negatives_us.csv"):
        with (DATA / "negatives_synthetic_yente" / name).open(newline="", encoding="utf-8") as f:
            people += [row["full_name"] for row in csv.DictReader(f)][: limit // 2]
    return people


def brute_force(entries: Sequence[ListEntry]) -> Search:
    keys, owners = [], []
    for entry in entries:
        for name in entry.names:
            keys.append(normalize_name(name))
            owners.append(entry.entry_id)

    def search(query: str, threshold: float) -> set[str]:
        found = process.extract(normalize_name(query), keys, scorer=fuzz.ratio, limit=10,
                                score_cutoff=threshold * 100)
        return {owners[index] for _, _, index in found}
    return search


def indexed(screener: Screener) -> Search:
    def search(query: str, threshold: float) -> set[str]:
        return {m.entry.entry_id for m in screener.screen(query, threshold=threshold)}
    return search


def latency(search: Search, queries: Sequence[str]) -> tuple[float, float]:
    times = []
    for query in queries:
        start = time.perf_counter()
        search(query, 0.84)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1e3, times[int(len(times) * 0.99)] * 1e3


def quality(search: Search, cases: Sequence[tuple[str, str, str]], people: Sequence[str],
            threshold: float) -> dict[str, float]:
    result: dict[str, float] = {}
    for kind in dict.fromkeys(k for k, _, _ in cases):
        mine = [(q, e) for k, q, e in cases if k == kind]
        result[kind] = sum(e in search(q, threshold) for q, e in mine) / len(mine)
    result["false positives"] = sum(bool(search(p, threshold)) for p in people) / len(people)
    return result


def build(entries: Sequence[ListEntry]) -> tuple[Screener, float, float]:
    start = time.perf_counter()
    screener = Screener.build(entries)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    Screener.build(entries)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return screener, seconds, peak / 2**20


def synthetic(n: int, entries: Sequence[ListEntry], people: Sequence[str]) -> list[ListEntry]:
    rng = random.Random(5)
    words = sorted({w for e in entries for w in e.name.replace(",", " ").split() if len(w) > 2}
                   | {w for p in people for w in p.split()})
    return [ListEntry(f"syn:{i}", "SYNTHETIC", " ".join(rng.choice(words) for _ in range(rng.randint(2, 4))))
            for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer queries")
    parser.add_argument("--scale", type=int, default=0, help="also index N synthetic names beside the SDN")
    args = parser.parse_args()
    sdn = list(load_list(DATA / "ofac_sdn_2024-05-03" / "sdn.csv", "sdn").entries)
    sample = random.Random(1).sample(sdn, 300 if args.quick else 1500)
    by_name = {e.name: e.entry_id for e in sdn}
    cases = [(k, q, e.entry_id) for k, q, e in variants(sample)]
    cases += [("other script", q, by_name[n]) for q, n in TRANSLITERATED]
    cases += [("other script", q, by_name[n]) for _, q, n in NATIVE_POSITIVES]
    people = negatives(2000 if args.quick else 20000)
    screener, seconds, mib = build(sdn)
    print(f"SDN 2024-05-03: {len(sdn):,} entries, {len(screener.index):,} names; index built in {seconds:.2f} s, "
          f"{mib:.0f} MiB allocated at peak")
    base = brute_force(sdn)
    queries = [q for _, q, _ in cases][:1000] + list(people[:1000])
    rows = [("indexed", indexed(screener)), ("brute force", base)]
    print(f"\n{'matcher':<12} {'median ms':>9} {'p99 ms':>7}   " + "  ".join(f"{k:>12}" for k in (
        "threshold", "order", "spelling", "legal form", "other script", "false pos.")))
    for label, search in rows:
        median, p99 = latency(search, queries)
        few = people if label == "indexed" else people[:2000]
        for threshold in THRESHOLDS:
            q = quality(search, cases, few, threshold)
            print(f"{label:<12} {median:>9.3f} {p99:>7.3f}   {threshold:>12.2f}  " + "  ".join(
                f"{q[k]:>12.4f}" for k in ("order", "spelling", "legal form", "other script", "false positives")))
    search = indexed(screener)
    print("\nfalse positives of the indexed matcher at 0.84 by the script a synthetic person is written in:")
    for script in (*SCRIPTS, "Latin and other"):
        mine = [p for p in people if script_of(p) == script]
        print(f"  {script:<16} {len(mine):>6,} people  {sum(bool(search(p, 0.84)) for p in mine) / len(mine):.4f}")
    if args.scale:
        big = sdn + synthetic(args.scale, sdn, people)
        screener, seconds, mib = build(big) if args.scale <= 200_000 else (Screener.build(big), 0.0, 0.0)
        if args.scale > 200_000:
            start = time.perf_counter()
            screener = Screener.build(big)
            seconds = time.perf_counter() - start
        median, p99 = latency(indexed(screener), queries)
        q = quality(indexed(screener), cases, people[:2000], 0.84)
        print(f"\n{len(big):,} entries ({len(screener.index):,} names): built in {seconds:.1f} s"
              + (f", {mib:.0f} MiB at peak" if mib else "") + f"; median {median:.3f} ms, p99 {p99:.3f} ms; "
              + ", ".join(f"{k} {v:.4f}" for k, v in q.items()))


if __name__ == "__main__":
    main()
