"""`clearance safeguards score|evaluate`: jailbreak screening of prompt files, and how well it does.

Both read JSON lines; every line is checked before anything is scored, so a bad line stops the run
with its line number (exit 65) instead of leaving half an output file behind.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from clearance.cli.common import JsonOption, console, emit_json, read_input
from clearance.errors import DataError, ValidationFailed

if TYPE_CHECKING:  # the detector brings numpy and its weights: loaded by the commands that score only
    from clearance.safeguards import Assessment, Detector

app = typer.Typer(help="Jailbreak and prompt-injection screening.", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(help='A JSON-lines file, or "-" for standard input.',
                                              show_default=False)]


@dataclass(frozen=True)
class Item:
    """One input line: its id (or label and source, for evaluation) and what to score."""

    line: int
    id: Any
    text: str | None
    messages: list[Mapping[str, Any]] | None
    label: int | None = None
    source: str = "all"

    def assess(self, detector: Detector) -> Assessment:
        if self.messages is not None:
            return detector.score_conversation(self.messages)
        return detector.score(self.text or "")


def _item(raw: str, line: int, source: str, labelled: bool) -> Item:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON ({exc.msg}, column {exc.colno})", source=source, line=line) from None
    if not isinstance(obj, dict):
        raise DataError("expected a JSON object", source=source, line=line)
    text, messages = obj.get("text"), obj.get("messages")
    if (text is None) == (messages is None):
        raise DataError('give exactly one of "text" and "messages"', source=source, line=line)
    if text is not None and not isinstance(text, str):
        raise DataError("must be a string", source=source, line=line, field="text")
    if messages is not None and not (isinstance(messages, list) and all(isinstance(m, dict) for m in messages)):
        raise DataError('must be a list of {"role", "content"} objects', source=source, line=line, field="messages")
    label = None
    if labelled:
        label = obj.get("label")
        if isinstance(label, bool):
            label = int(label)
        if label not in (0, 1):
            raise DataError("must be 0 or 1 (or false/true)", source=source, line=line, field="label")
    return Item(line, obj.get("id", line), text, messages, label, str(obj.get("source", "all")))


def read_items(path: Path, *, labelled: bool = False) -> list[Item]:
    """Every non-blank line of `path` as an Item; all bad lines are reported together."""
    content, source = read_input(path)
    items, problems = [], []
    for number, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            items.append(_item(raw, number, source, labelled))
        except DataError as exc:
            problems.append(exc.problem)
    if problems:
        raise ValidationFailed(problems[:20], subject=source)
    return items


@app.command()
def score(path: FileArgument) -> None:
    """Score each prompt or conversation: one JSON line out per line in, {"id", "score", "categories", "signals"}."""
    from clearance.safeguards import Detector

    items = read_items(path)
    detector = Detector.load()
    out = sys.stdout
    for item in items:
        result = item.assess(detector)
        out.write(json.dumps({"id": item.id, "score": result.score, "categories": dict(result.categories),
                              "signals": list(result.signals)}, ensure_ascii=False) + "\n")


def _summary(pos: list[float], neg: list[float], threshold: float) -> dict[str, Any]:
    from clearance.safeguards.metrics import auc, rate_at, tpr_at_fpr

    def clean(x: float) -> float | None:
        return None if math.isnan(x) else round(x, 4)
    return {"attacks": len(pos), "benign": len(neg), "auc": clean(auc(pos, neg)),
            "tpr_at_1pct_fpr": clean(tpr_at_fpr(pos, neg)), "tpr_at_threshold": clean(rate_at(pos, threshold)),
            "fpr_at_threshold": clean(rate_at(neg, threshold))}


@app.command()
def evaluate(
    path: FileArgument,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", min=0.0, max=1.0, help="The cut to report rates at (default: the model's).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Measure the detector on labelled lines {"text" | "messages", "label": 0|1, "source"?}.

    Prints AUC, the TPR at 1% FPR and the rates at the threshold, overall and per source.
    """
    from clearance.safeguards import Detector
    from clearance.safeguards.metrics import cut_at_fpr

    items = read_items(path, labelled=True)
    detector = Detector.load()
    cut = detector.threshold if threshold is None else threshold
    scored = [(item, item.assess(detector).score) for item in items]
    neg = [s for item, s in scored if item.label == 0]
    pos = [s for item, s in scored if item.label == 1]
    per_source: dict[str, dict[str, Any]] = {}
    for source in sorted({item.source for item in items}):
        s_pos = [s for item, s in scored if item.source == source and item.label == 1]
        s_neg = [s for item, s in scored if item.source == source and item.label == 0]
        row = _summary(s_pos, neg, cut)  # a source's attacks against every benign line
        row["benign"], row["fpr_at_threshold"] = len(s_neg), _summary([], s_neg, cut)["fpr_at_threshold"]
        per_source[source] = row
    report: dict[str, Any] = {
        "threshold": round(cut, 4), "cut_at_1pct_fpr": None if not neg else round(cut_at_fpr(neg), 4),
        "overall": _summary(pos, neg, cut), "sources": per_source}
    if as_json:
        emit_json(report)
        return
    table = Table(title=f"safeguards evaluation (threshold {cut:.3f})")
    for column in ("source", "attacks", "benign", "AUC", "TPR@1%FPR", "TPR@thr", "FPR@thr"):
        table.add_column(column, justify="left" if column == "source" else "right")
    for name, row in [*per_source.items(), ("overall", report["overall"])]:
        table.add_row(name, *(_cell(row[k]) for k in ("attacks", "benign", "auc", "tpr_at_1pct_fpr",
                                                      "tpr_at_threshold", "fpr_at_threshold")))
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.3f}"
