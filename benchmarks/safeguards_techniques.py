"""One-line instances of published jailbreak techniques, and what the detector makes of them.

`benchmarks/data/technique_probes.jsonl` holds short prompts written on 2026-12-06 (the tenth step) from the
papers and disclosures the rules cite: Wei et al.'s "Jailbroken" attacks, ReNeLLM, CipherChat, DeepInception,
CodeChameleon, ArtPrompt, payload splitting, MathPrompt, Skeleton Key, Policy Puppetry, Bad Likert Judge, the
grandma exploit, one-line "unrestricted model" declarations, in-context attacks, prefilling, and prompt-extraction
queries (Zhang et al.), with a few look-alikes.  They were written alongside the rules, so the table shows what
the rules do and where they stop, as a regression check; it is no evidence of how they generalise (for that, the
external test half of `safeguards_external.py`).

Printed: for each kind, how many prompts and how many the shipped detector flags at its default threshold, then
every attack it misses.

Run by hand:  .venv/bin/python benchmarks/safeguards_techniques.py
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from clearance.safeguards import Detector

PROBES = Path(__file__).resolve().parent / "data" / "technique_probes.jsonl"


def main() -> int:
    detector = Detector.load()
    rows = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    missed: list[dict[str, Any]] = []
    for row in rows:
        flagged = detector.score(row["text"]).flagged(detector.threshold)
        tally = counts[(row["kind"], row["label"])]
        tally[0] += 1
        tally[1] += flagged
        if row["label"] == 1 and not flagged:
            missed.append(row)
    print(f"{'kind':<28}{'label':>6}{'n':>5}{'flagged':>9}")
    for (kind, label), (n, caught) in sorted(counts.items(), key=lambda item: (-item[0][1], item[0][0])):
        print(f"{kind:<28}{label:>6}{n:>5}{caught:>9}")
    print("\nattacks not flagged:")
    for row in missed:
        print(f"  [{row['kind']}] {' '.join(row['text'].split())[:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
