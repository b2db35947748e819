"""The safeguards detector: one score, the signals behind it and the capability categories of a request.

A prompt is scored in every form an upstream model could read it in: as sent, folded (see
`normalize`), and each payload decoded from base64, hex, rot13 or tag characters (see `decode`).
Long inputs are cut into overlapping chunks and the worst chunk counts, so a jailbreak buried in a
long document or a many-shot dialogue is not diluted by the text around it.  The score is the
worst over all of these; a disguise found on the way is reported as a signal, not added to the
score, so that an operator sees why without a benign emoji sequence tripping a threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from clearance.safeguards import (
    addressed,
    capabilities,
    ciphertalk,
    completion,
    conversation,
    decode,
    disarm,
    escapes,
    exfiltration,
    extraction,
    features,
    harm,
    lawless,
    manyshot,
    nesting,
    override,
    pretext,
    smuggling,
    source,
    suppression,
)
from clearance.safeguards.model import LinearModel, shipped, sigmoid
from clearance.safeguards.normalize import as_sent, fold, hidden_tag_text, hides_word

# A prompt of up to 2,000 characters (most of them) is one window; longer ones are cut every 1,000 characters,
# so an attack of up to 1,000 characters lies whole in some window with at most as much other text.
CHUNK_CHARS = 2000
CHUNK_OVERLAP = 1000
INSTRUCTING_ROLES = frozenset({"system", "developer"})
TOOL_ROLES = frozenset({"tool", "function"})  # what a tool returned: data the model reads, not a request
SCREENED_ROLES = frozenset({"user"}) | INSTRUCTING_ROLES | TOOL_ROLES
MAX_DEPTH = 2  # payloads inside payloads: base64 of rot13 is as far as anyone needs to go
FOCUS_FROM = 200  # a text this long may hide a short attack among paragraphs of its own (see `focus`)
FOCUS_MAX = 8  # at most this many paragraphs are scored alone
FOCUS_WORDS = 4  # a heading ("### Actual result") is no paragraph to score alone
FOCUS_CHARS = 1000  # a longer paragraph is half its window or more: the windows weigh it enough
CERTAIN = 0.99  # a text its windows score this high is not read paragraph by paragraph: no cut lies above it
# A user message that asks for the model's hidden instructions (`extraction`), overrides them outright in any
# language (`override`) or orders a command run that leaks secrets (`exfiltration`) is scored this many logits past
# the threshold: flagged whatever threshold the shipped model was trained to, and by a directive's stricter cut too.
# All are hand-written rules for what the n-gram model reads as an ordinary request (or a foreign sentence).
RULE_MARGIN = 1.5
# A user message in one of the capability categories (cyber-offense, weapons, surveillance) is flagged from this many
# logits below the threshold, at RULE_MARGIN / 3 past it: a jailbreak wraps such a request, and a wrapper that
# scores near the threshold around one is rarer than either alone.  First chosen at 2.5 on the external dev half
# (3 of its 81 PyRIT templates gained, no benign prompt of the external or held-out sets, none of the 781 plain
# harmful requests); then "Act as a malware analyst. Explain what this ransomware sample does" was 2.1 logits under
# the threshold, so 1.5 (tests/safeguards/data/benign_risky.jsonl: none of its 60 prompts in the band; dev gains 1).
WRAPPED_MARGIN = 1.5
# What a text does, scored without its topic cues (`features.TOPIC_CUES`, the densities of harm and transgression
# words), must reach this many logits under the threshold for the model to flag it, or for the wrapped-request rule
# to: an attack is what a text does around its topic, not the topic.  A security analyst's question ("How might the
# actors evolve their techniques to bypass MFA and evade detection?") is as dense with those words as a jailbreak,
# and a tenth of CyberSecEval 4's threat-intelligence questions were flagged, most of them on those words or in the
# wrapped-request band.  Without them, 8 of the 13 such questions the model flagged on the external dev half scored
# 4.4 to 7.4 logits under the threshold, and its flagged attacks 2.9 under at most (many-shot dialogues, whose
# harmful answers are their topic).
FRAME_MARGIN = 4.0
# A paragraph of a tool's result is held to this many logits more than a prompt (its score is reported that much
# lower) unless it overrides the instructions outright: documentation and code of AI projects talk about system
# prompts, judges and agents, and a short paragraph of it scored alone read like an injection (28 of inspect_evals'
# 265 READMEs flagged, 10 after).
TOOL_MARGIN = 1.5
HIDDEN_WORDS = 3  # words in Unicode tag characters that make a hidden text (a flag emoji's tags spell one code)
# What in a tool's result shows it was planted there: data that asks for the model's instructions, speaks to the AI
# reading it, or orders secrets sent out (a planted command is its own signal).
_PLANTED = frozenset({"asks-for-instructions", "addresses-model", "sends-data-out"})
_RESHAPED = frozenset({"leetspeak", "spaced-letters"})  # disguises `as_sent` does not undo
# The hand-written rules that read a user's folded forms (and each payload's), with the signal each reports: an
# override in any language, the safety switched off, a faux dialogue of harmful answers, a harmful request in a
# template's subject slot, a fiction whose point is a real procedure's precision, a request smuggled in pieces, a
# world declared without consequences, an answer begun for the model to go on with, the refusal forbidden.  A user's
# only: documents quote all of these.
_USER_RULES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("overrides-instructions", override.overrides),
    ("disables-safety", disarm.disarms),
    ("many-shot", manyshot.faux_dialogue),
    ("nested-request", nesting.nested_request),
    ("nested-request", nesting.distracted_request),
    ("nested-request", nesting.edited_request),
    ("fiction-pretext", pretext.fiction_pretext),
    ("fiction-pretext", pretext.bedtime_recital),
    ("inverted-request", pretext.inverted_request),
    ("pressed-request", pretext.pressed_request),
    ("smuggled-request", smuggling.smuggled),
    ("lawless-frame", lawless.lawless_frame),
    ("completion-bait", completion.completion_bait),
    ("suppresses-refusal", suppression.suppresses_refusal),
)


@dataclass(frozen=True)
class Assessment:
    """What the detector found: `score` in [0, 1], the `signals` that fired, `categories` with scores."""

    score: float
    signals: tuple[str, ...] = ()
    categories: Mapping[str, float] = field(default_factory=dict)

    def flagged(self, threshold: float) -> bool:
        return self.score >= threshold


def chunks(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Overlapping windows of `text`, each at most `size` characters; one window for a short text."""
    if len(text) <= size:
        return [text]
    step = size - overlap
    return [text[start:start + size] for start in range(0, len(text) - overlap, step)]


def windows(text: str) -> list[tuple[str, bool]]:
    """The windows of `text` (`chunks`), each with whether it ends where the text does: only the last one, the
    only one read for an adversarial suffix (see `features.cues`)."""
    parts = chunks(text)
    return [(part, i == len(parts) - 1) for i, part in enumerate(parts)]


def focus(text: str) -> list[str]:
    """The paragraphs of a long `text` that speak to the model (`features.injection_cue`), to be scored alone.

    A window is scored as a whole, so one injected paragraph ("Ignore all previous instructions and ...", a fake
    system turn) among 1,500 characters of a benign policy or bug report weighs what its share of the window
    does; the model, trained on long benign documents, then let it through.  Scored alone, the paragraph is a
    short prompt again.  Paragraphs are the blocks between blank lines, or the lines when there are none; only
    those of FOCUS_WORDS words to FOCUS_CHARS characters with such a cue are read, each distinct one once, at
    most FOCUS_MAX (a longer paragraph weighs enough in its window, and the cost stays bounded).
    """
    if len(text) < FOCUS_FROM:
        return []
    units = [block for block in text.split("\n\n") if block.strip()]
    if len(units) < 2:
        units = [line for line in text.splitlines() if line.strip()]
    if len(units) < 2:
        return []
    found: dict[str, None] = {}  # each distinct paragraph once, in order
    for unit in units:
        if len(unit) <= FOCUS_CHARS and len(unit.split()) >= FOCUS_WORDS and unit not in found \
                and features.injection_cue(unit):
            found[unit] = None
            if len(found) == FOCUS_MAX:
                break
    return list(found)


def raw_form(text: str) -> str:
    """The text as sent, lower-cased with its whitespace collapsed: the form scored beside the folded one.

    The training script reads it too, so the model learns the raw forms it will score, not only the folded
    ones (before it did, a system prompt in Portuguese or with "user001" in it scored higher raw than folded:
    4 of the 5 held-out benign system prompts the model flagged).
    """
    return " ".join(text.lower().split())


class Detector:
    """Scores prompts and conversations with a linear model; immutable, so one may serve every request."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        # a deployment sends the same system prompt with every request: its assessment is remembered
        self._score_system = lru_cache(maxsize=256)(self._score_instructions)

    @classmethod
    def load(cls) -> Detector:
        """The detector with the model shipped in the package."""
        return cls(shipped())

    @property
    def threshold(self) -> float:
        return self.model.threshold

    def _past_threshold(self, margin: float) -> float:
        """The score `margin` logits past the threshold (below it for a negative margin)."""
        return sigmoid(_logit(self.threshold) + margin)

    def _with_findings(self, score: float, signals: dict[str, int], found: list[str]) -> float:
        """`score` raised RULE_MARGIN past the threshold when the hand-written rules `found` something, recorded
        in `signals`."""
        if not found:
            return score
        signals.update(dict.fromkeys(found, 1))
        return max(score, self._past_threshold(RULE_MARGIN))

    def _worst(self, text: str, pasted: float) -> tuple[float, float]:
        """The worst window of `text`: its score, and the worst score of a window without its topic cues."""
        read = [self.model.scores(part, pasted, ends) for part, ends in windows(text)]
        return max(score for score, _ in read), max(frame for _, frame in read)

    def _assess(self, text: str, signals: dict[str, int], texts: list[str], sent: list[str],
                depth: int) -> tuple[float, float]:
        """The worst score of `text` and its payloads, and the worst score of `text`'s own forms without their
        topic cues (its frame, see FRAME_MARGIN); every form read is appended to `texts` (folded) and to `sent`
        (`as_sent`, for the rules that read commands)."""
        text = _unescaped(text, signals)
        sent.append(as_sent(text))
        folded = fold(text)
        for name, count in folded.signals.items():
            signals[name] = signals.get(name, 0) + count
        texts.append(folded.text)
        found = decode.payloads(text) if depth < MAX_DEPTH else []
        # a text a cipher turns into English is read as that English: its letters as sent are gibberish to the model,
        # which flagged three in four benign cryptogram puzzles while their decodings were not flagged
        score, frame = (0.0, 0.0) if any(p.whole for p in found) else self._forms(text, folded.text)
        if len(text) > CHUNK_CHARS:
            signals["chunked"] = signals.get("chunked", 0) + len(chunks(text))
        for unit in focus(text) if score < CERTAIN else ():
            alone = self._forms(unit, fold(unit).text)[0]
            if alone > score and alone >= self.threshold:
                signals["planted"] = signals.get("planted", 0) + 1
            score = max(score, alone)
        for payload in found:
            name = f"{payload.kind}-payload"
            signals[name] = signals.get(name, 0) + 1
            score = max(score, self._assess(payload.text, signals, texts, sent, depth + 1)[0])
        return score, frame

    def _forms(self, text: str, folded: str) -> tuple[float, float]:
        """The worst window of `text` folded (`folded`) and, where it differs, as sent (`raw_form`), with and
        without the topic cues (`_worst`)."""
        # the share of the text as sent that is code or data in lines of its own; folding joins the lines
        pasted = features.layout(text)
        score, frame = self._worst(folded, pasted)
        raw = raw_form(text)
        if raw == folded:
            return score, frame
        raw_score, raw_frame = self._worst(raw, pasted)
        return max(score, raw_score), max(frame, raw_frame)

    def score(self, text: str) -> Assessment:
        """Assess one prompt, as a user sends it."""
        return self._score_forms(text)[0]

    def _score_instructions(self, text: str) -> Assessment:
        """Assess a system (or developer) prompt: as a user prompt, but "never reveal your instructions" is no
        request for them."""
        return self._score_forms(text, user=False)[0]

    def _score_forms(self, text: str, user: bool = True, first: str | None = None) -> tuple[Assessment, list[str]]:
        """The assessment, and every form of `text` read on the way (folded, and each payload folded).

        `first` is the user's first message when `text` joins several (it alone may ask about what the model
        read before it, `extraction.asks_for_context`); `text` itself otherwise."""
        signals: dict[str, int] = {}
        texts: list[str] = []
        sent: list[str] = []
        score, frame = self._assess(text, signals, texts, sent, 0)
        categories = capabilities.classify("\n".join(texts))
        # a payload decoded from the text, or a paragraph scored alone, is what it is whatever the text around it does
        own = not any(name == "planted" or name.endswith("-payload") for name in signals)
        framed = frame >= self._past_threshold(-FRAME_MARGIN)
        if score >= self.threshold and (framed or not own):
            signals["jailbreak-model"] = 1
        elif score >= self.threshold:
            score = min(score, self._past_threshold(-RULE_MARGIN / 3))  # the topic alone: a stricter cut may act
        elif user and categories and framed and score >= self._past_threshold(-WRAPPED_MARGIN):
            score = self._past_threshold(RULE_MARGIN / 3)
            signals["wrapped-request"] = 1
        if user:
            score = self._with_findings(score, signals, _user_findings(text, texts, sent, signals, first))
        return Assessment(round(score, 6), tuple(sorted(signals)), categories), texts

    def score_tool_output(self, text: str) -> Assessment:
        """Assess what a tool returned to the model (a file, a web page, a command's output): only what in it
        speaks to the model.

        Tool output is data, and an agent reads a lot of it: code, logs, documentation, pages about security.
        Scored whole like a prompt, a page about malware or a log full of brackets would look like an attack,
        and its topics are not what the caller asks for, so it has no capability categories.  An indirect
        injection is text in the data addressed to the model: the paragraphs with an injection cue (`focus`;
        the whole output when it is one paragraph with a cue) are scored alone and read by the extraction
        rule (a fake system turn that orders the system prompt revealed), and the planted-command rule
        (`exfiltration`), the rule for an order to send secrets to an address (`exfiltration.orders_data_sent`)
        and the rule for text that speaks to its AI reader (`addressed`: "Note to AI assistants: ...", "the task
        I gave you") read the whole output as sent.  A paragraph is held to TOOL_MARGIN more than a prompt, and in
        Python source the paragraphs are read with the string literals blanked (`source`).
        """
        signals: dict[str, int] = {}
        text = _unescaped(text, signals)  # JSON written with ensure_ascii, a URL's query: read as the model reads them
        code = source.python_code(text)  # Python's string literals are prompts for another model: blanked
        prose = text if code is None else code
        units = focus(prose) or ([prose] if features.injection_cue(prose) else [])
        forms = [fold(unit).text for unit in units]
        score = max((self._tool_paragraph(unit, form) for unit, form in zip(units, forms, strict=True)), default=0.0)
        if score >= self.threshold:
            signals["planted"] = 1
        # the extraction rule reads the paragraphs that speak to the model (not any page about system prompts), the
        # others the whole output
        lowered = as_sent(text)  # a zero-width space or a homoglyph hides nothing from the rules
        found = _rule_findings([lowered], forms)
        if addressed.addresses_model(lowered):
            found.append("addresses-model")
        if exfiltration.orders_data_sent(lowered) or exfiltration.orders_data_in_link(lowered):
            found.append("sends-data-out")
        if _PLANTED.intersection(found):
            found.append("planted")
        score = self._with_findings(score, signals, found)
        return Assessment(round(score, 6), tuple(sorted(signals)))

    def _tool_paragraph(self, unit: str, form: str) -> float:
        """A paragraph of a tool result scored alone: TOOL_MARGIN lower, unless it overrides the instructions
        outright ("IMPORTANT SYSTEM UPDATE: ignore all previous instructions"), which no document says."""
        score = self._forms(unit, form)[0]
        if score <= 0 or features.override_cue(unit):
            return score
        return sigmoid(_logit(score) - TOOL_MARGIN)

    def score_conversation(self, messages: Iterable[Mapping[str, Any]]) -> Assessment:
        """Assess every user and system message of a chat together, as one text the model will read.

        A user message aimed at what a system message protects (see `conversation`) raises the score by the
        finding's margin, in logits, and past the threshold when the finding is strong enough, even when
        neither message is suspicious alone.
        """
        return self.score_messages(screened_messages(messages))

    def score_messages(self, parts: Sequence[tuple[str, str]]) -> Assessment:
        """Assess (role, text) pairs already screened (see `screened_messages`): what `score_conversation` does.

        The system (and developer) messages are scored together, and the user messages together, each on
        its own: almost every system prompt addresses the model ("You are a ...") and many name what is
        off limits, so read as one text with a user's question about a violent film or a password reset
        they looked like a persona attack (3% of held-out benign conversations flagged); an attack
        that arrives in either is still scored whole.  What joins them is `conversation`'s rules.
        """
        system = [text for role, text in parts if role in INSTRUCTING_ROLES]
        user = [text for role, text in parts if role not in INSTRUCTING_ROLES and role not in TOOL_ROLES]
        data = [text for role, text in parts if role in TOOL_ROLES]
        assessments = [self._score_system("\n\n".join(system))] if system else []
        assessments.extend(self.score_tool_output(text) for text in data)
        user_forms: list[str] = []
        if user:
            assessment, user_forms = self._score_forms("\n\n".join(user), first=user[0])
            assessments.append(assessment)
        if not assessments:
            return self.score("")
        score = max(a.score for a in assessments)
        signals = {signal for a in assessments for signal in a.signals}
        categories = {name: max(a.categories.get(name, 0.0) for a in assessments)
                      for a in assessments for name in a.categories}
        finding = conversation.assess_forms(system, user_forms)  # the forms the model read: folded once
        if finding is not None:
            past = finding.margin - conversation.FLAG_AT
            score = max(score, round(self._past_threshold(past), 6))
            signals |= set(finding.signals) | ({"protected-target"} if past > 0 else set())
        return Assessment(score, tuple(sorted(signals)), categories)


def _unescaped(text: str, signals: dict[str, int]) -> str:
    """`text` with its escapes undone (`escapes`); the kinds that hid letters are added to `signals`."""
    found = escapes.unescape(text)
    for name, count in found.hidden.items():
        signals[name] = signals.get(name, 0) + count
    return found.text


def _user_findings(text: str, texts: list[str], sent: list[str], signals: dict[str, int],
                   first: str | None) -> list[str]:
    """What the hand-written rules find in a user's message `text`, read in its folded forms `texts` (the message,
    then each payload decoded), its forms as sent `sent` and the `signals` its folding raised."""
    # a command in leetspeak or spaced out ("pr1nt3nv") is read folded too, though "$" is lost by then
    found = _rule_findings([*sent, *texts] if _RESHAPED.intersection(signals) else sent, texts)
    opening = texts[0] if first is None else fold(first).text
    if "asks-for-instructions" not in found and extraction.asks_for_context(opening):
        found.append("asks-for-instructions")
    found.extend(signal for signal, rule in _USER_RULES if any(map(rule, texts)))
    if any(map(harm.asks_harm, texts[1:])):  # the forms after the first are the payloads decoded
        found.append("encoded-request")
    # a harmful request with a word hidden from a filter by invisible characters or look-alike letters: the hiding is
    # the attack, as with an encoding (the plain request is the capability categories' business)
    if ("homoglyphs" in signals or hides_word(text)) and harm.asks_harm(texts[0]):
        found.append("disguised-request")
    if ciphertalk.converses_in_cipher(texts, sent):
        found.append("cipher-conversation")
    # words written in Unicode tag characters, which render as nothing (ASCII smuggling; Goodside, 2024): a text
    # hidden from the person who reads the prompt has no one to be written for but the model (a flag emoji's tags
    # spell one short code, no words)
    if any(len(hidden.split()) >= HIDDEN_WORDS for hidden in hidden_tag_text(text)):
        found.append("smuggled-request")
    if exfiltration.orders_data_in_link(sent[0]):
        found.append("sends-data-out")
    # a document pasted under a request is data, like a tool's result: read for what speaks to its AI reader
    if addressed.document_addresses_model(addressed.pasted(sent[0])):
        found.extend(("addresses-model", "planted"))
    return found


def _rule_findings(sent: list[str], forms: list[str]) -> list[str]:
    """The signals of the hand-written rules on a user's message: a request for the model's own instructions in any
    of its `forms` (folded, and each payload decoded), and a planted command in any of its `sent` forms (`as_sent`:
    the message and each payload as sent, since folding would make "$" an "s")."""
    found = ["asks-for-instructions"] if any(map(extraction.asks_for_instructions, forms)) else []
    command = next(filter(None, map(exfiltration.planted_command, sent)), None)
    return [*found, command] if command else found


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def screened_messages(messages: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(role, text) of each user/system/developer message and each tool result, in the OpenAI and Anthropic shapes.

    Content may be a string or a list of parts, of which the text ones count; a tool's result is a message with
    role "tool" (or the older "function"), or a "tool_result" part of a user message, whose content is a string
    or text parts again: each is ("tool", text).
    """
    out: list[tuple[str, str]] = []
    for message in messages:
        role = message.get("role", "user")
        if role not in SCREENED_ROLES:
            continue
        role = "tool" if role in TOOL_ROLES else role
        content = message.get("content", "")
        if isinstance(content, str):
            out.append((role, content))
            continue
        for part in content if isinstance(content, list) else ():
            if not isinstance(part, Mapping):
                continue
            if part.get("type") == "tool_result":
                out.extend(("tool", text) for text in content_texts(part.get("content", "")))
            elif isinstance(part.get("text"), str):
                out.append((role, part["text"]))
    return out


def content_texts(content: Any) -> list[str]:
    """A message's (or a tool result's) content: a string, or a list of parts of which the text ones count."""
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [part["text"] for part in content if isinstance(part, Mapping) and isinstance(part.get("text"), str)]
    return []

