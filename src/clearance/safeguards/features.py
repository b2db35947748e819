"""Hashed character and word n-grams: the cheap, deterministic features the linear model reads.

Character 3- to 5-grams catch templates and their paraphrases ("do anything now", "developer
mode", "ignore previous") even when words are split or glued; word uni- and bigrams add phrase
context.  Hashing into a fixed space (no vocabulary to ship) keeps the weights one flat array,
and the hashes are computed with numpy over code points with fixed constants, so training and
serving produce the very same indices on every machine and Python (no PYTHONHASHSEED).  A text's
vector is its n-gram counts scaled to unit length, which keeps long and short prompts comparable.

A few dense cues follow the hashed space (see `cues`): n-grams see what words are there, not what
shape the text has, and the attacks that lexical models miss are recognisable by shape.  An
adversarial suffix (GCG, DSN) is a tail of non-words and glued brackets after a plain request; an
injection addresses the model about its own instructions or fakes a system turn; a persuasion
attack (PAIR) wraps the request in a persona and a hypothetical, and presses with stakes ("my
family will be homeless") or a word game.  The suffix cues also read how surprising the tail's characters are
to a character-trigram model of benign prompts (`charlm`), against the head's.  Each cue is a rate or a
capped count in [0, 1], so the linear model can weigh it against the unit-length n-gram vector.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from clearance.safeguards import charlm, multilingual
from clearance.safeguards.words import WORD_HASHES, lexicon

DIM_BITS = 18
HASHED = 1 << DIM_BITS
CHAR_NGRAMS = (3, 4, 5)
_BASE = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - DIM_BITS)
_BIGRAM = np.uint64(0xB16A0000B16B)
_WORD_RE = re.compile(r"\w+|[^\w\s]")

Indices = npt.NDArray[np.uint32]
_T = TypeVar("_T")


def _mix(h: npt.NDArray[np.uint64]) -> Indices:
    """Fibonacci hashing: the top bits of h * golden ratio are well spread even for similar inputs."""
    with np.errstate(over="ignore"):
        return ((h * _MIX) >> _SHIFT).astype(np.uint32)


def char_ngrams(text: str) -> Indices:
    """Hashed indices of every character n-gram (n in CHAR_NGRAMS), one per occurrence."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts: list[Indices] = []
    with np.errstate(over="ignore"):
        # the n-gram hashes extend the (n-1)-gram ones by one code point, so each length costs one pass
        h = codes.copy()
        for n in range(2, CHAR_NGRAMS[-1] + 1):
            if len(codes) < n:
                break
            h = h[:-1] * _BASE + codes[n - 1:]
            if n in CHAR_NGRAMS:
                parts.append(_mix(h ^ np.uint64(n)))
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint32)


def word_ngrams(text: str, words: Sequence[str] | None = None) -> Indices:
    """Hashed indices of word unigrams and bigrams (CRC-32, salted apart from the character n-grams)."""
    if words is None:
        words = _WORD_RE.findall(text)
    if not words:
        return np.empty(0, dtype=np.uint32)
    unigrams = np.asarray(list(map(WORD_HASHES.__getitem__, words)), dtype=np.uint64)
    with np.errstate(over="ignore"):  # a bigram's hash is its words' hashes combined: no string is built for it
        bigrams = (unigrams[:-1] * _BIGRAM) ^ unigrams[1:]
    return _mix(np.concatenate((unigrams << np.uint64(16), bigrams)))


def indices(text: str) -> Indices:
    """Every feature occurrence of `text` (already lower-cased by the caller), as hashed indices."""
    return np.concatenate((char_ngrams(text), word_ngrams(text)))


ALPHA_RE = re.compile(r"[a-z]{3,}")
# A whitespace token with an ASCII bracket, brace or symbol in it, a symbol glued between letters, two symbols
# before a letter or four in a row: "]$.", "?>}^{(", "${inst([referpython{<?", "??legt".  Words with ordinary
# punctuation ("it's", "e.g.,", "well-known", "12:30", "end.") are not odd.
_ODD_RE = re.compile(r"(?<!\S)(?=\S*?(?:[\[\]{}<>^|~$\\@#=+]|[a-z0-9][!-&(-,;-@\[-^`{-~][a-z0-9]"
                     r"|[!-/:-@\[-`{-~]{2,}[a-z0-9]|[!-/:-@\[-`{-~]{4,}))\S+")


# A line of pasted code or data, read in the text as sent (before folding collapses its lines): it starts
# with a bracket, a symbol or a digit, ends in a bracket, brace, semicolon, comma or backslash, or holds an
# assignment, an arrow, a call, an index, a key-value pair or three separators of a table or a CSV row.
# Indented lines and lines between ``` fences count too, unless they are prose (see `layout`).
_CODE_LINE_RE = re.compile(r"^[\[\]{}()<>|#$@*/\\%&=+~`'\"!?0-9-]|[\[\]{}();,\\]$|\s=\s|==|!=|=>|->|::|\w\(|\w\.\w+\("
                           r"|\w\[|^\w[\w.-]*:\s|^\w[\w.-]*=|(?:[,|\t][^,|\t]*){3}")
# A word of prose, with the quotes, brackets and punctuation that may cling to it ("(even", "it's", "done.").
_PROSE_TOKEN_RE = re.compile(r"[\"'\u201c\u2018(\[*_-]*[^\W\d_]+(?:['\u2019-][^\W\d_]+)*[\"'\u201d\u2019)\].,;:!?*_-]*")
_KEY_RE = re.compile(r"[\"'][^\"']+[\"']\s*:")  # a quoted key and its colon: a line of JSON, YAML or a dict
MIN_LAYOUT_LINES = 2
# The shape cues are scaled by one minus the layout measure stretched from GATE_FROM (none) to GATE_FULL (all):
# a few lines of markup in a jailbreak (a quarter of in-the-wild prompts have some, most below 0.2) leave its
# cues alone, while a prompt that is mostly pasted code (most of them 0.5-1.0) has them scaled off.
GATE_FROM = 0.2
GATE_FULL = 0.8
PROSE_TOKENS = 4  # a line of at least this many tokens, PROSE_SHARE of them words, is prose wherever it is
PROSE_SHARE = 0.75
_INTRO_RE = re.compile(r"[:?]\s")
INLINE_INTROS = 4
INLINE_REACH = 300  # a request that introduces a snippet does so in its first sentences
INLINE_WORDS = 0.5  # a snippet after an introducing request is at most this share words


def _prose(line: str) -> bool:
    """A line of words: all of them ("Kind regards,"), or PROSE_SHARE of at least PROSE_TOKENS."""
    tokens = line.split()
    words = sum(1 for t in tokens if _PROSE_TOKEN_RE.fullmatch(t))
    return words == len(tokens) or (len(tokens) >= PROSE_TOKENS and words >= PROSE_SHARE * len(tokens))


# A line that is a web address, a link or an image alone, a form's field ("**Version Number:** 1.3.66"), or an HTML
# comment: the references and the template of an issue, a ticket or a page, never an optimiser's suffix.
_DATA_LINE_RE = re.compile(r"^(?:<?https?://\S+>?|!?\[[^\]\n]*\]\([^)\s]*\)|\*\*[^*\n]{1,80}(?::\*\*|\*\*:)(?:\s.*)?|<!--.*)$")


# A line that is an item of a list: a choice ("A. ...", "b) ...", "(3) ...", "iv. ...") or a bullet.  A run of
# them ends a multiple-choice question, a checklist or a menu, and its items are terse names (techniques, API
# calls, hashes, CVE numbers) unlike the question above them: the shape an adversarial suffix has by the tail cues.
_ITEM_RE = re.compile(r"^(?:\(?(?:[a-z]|[0-9]{1,2}|[ivx]{1,4})[.)]|[-*\u2022])\s", re.IGNORECASE)
MIN_ITEMS = 2  # a list that ends the text: one line that starts "A." is no list


def _item(stripped: str) -> bool:
    """Whether a line is a list item with no odd token (an optimiser's suffix split into "items" keeps its own)."""
    return _ITEM_RE.match(stripped) is not None and odd_share(stripped) == 0.0


def _code_line(line: str, stripped: str) -> bool:
    return (line[:2] in ("  ", "\t") and stripped[-1] not in ".!?") or _KEY_RE.match(stripped) is not None or (
        _DATA_LINE_RE.match(stripped) is not None) or (
        not _prose(stripped) and _CODE_LINE_RE.search(stripped) is not None)


def _inline(text: str) -> float:
    """One line: a request of words (at most one token not a word) ending in ':' or '?', then a snippet mostly
    of non-words (a command, a pattern, a rule): the snippet's share of the characters.  Only the first
    INLINE_INTROS colons and question marks within INLINE_REACH characters are tried, so the cost stays
    bounded."""
    for m in itertools.islice(_INTRO_RE.finditer(text, 0, INLINE_REACH), INLINE_INTROS):
        before, after = text[:m.start() + 1], text[m.end():].split()
        words = before.split()
        if len(words) < PROSE_TOKENS or sum(1 for t in words if not _PROSE_TOKEN_RE.fullmatch(t)) > 1:
            continue  # the request must be words (a suffix before the colon has glued symbols)
        if after and sum(1 for t in after if _PROSE_TOKEN_RE.fullmatch(t)) <= INLINE_WORDS * len(after):
            return 1.0 - len(before) / len(text)
    return 0.0


def layout(text: str) -> float:
    """How much of `text` (as sent) is pasted code, data, logs or a table, in [0, 1].

    A prompt that pastes a function, a stack trace, a JSON record or a CSV extract is unusual to a model of
    prose all through its pasted part, and its tail (the paste) unlike its head (the request): the shape cues
    of an adversarial suffix fire on it by construction.  An optimiser's suffix is glued to the request on
    one line and is mostly word pieces; code and data come in lines of their own, or after a request that
    introduces them ("what does this do: rsync -avzP ...").  `cues` scales the suffix shape cues by one
    minus this measure.

    Lines: an indented line is code unless it ends a sentence, and so is a quoted key with its colon, and a
    line that is a web address or a link alone, a form's bold field or an HTML comment (`_DATA_LINE_RE`: an
    issue report's template; before, the links and fields that end one read as a suffix); any
    other line of words (a list item, a quoted sentence, a jailbreak's "(even if it is made up)", "Kind
    regards,") is prose however it starts; other lines are code when `_CODE_LINE_RE` finds code or data in
    them.  The measure is the larger of the code lines' share of the characters and their share of the tail
    (where the suffix cues look: the last TAIL_TOKENS tokens, or the second half of a shorter text).  A text of
    one line is read by `_inline`.

    In the tail, a run of at least MIN_ITEMS list items that ends the text (`_item`: the choices of a
    multiple-choice question, a checklist) counts as data too, though each item is prose for the share of
    the characters (a jailbreak's list of rules is prose, and it keeps its cues).  Before, an analyst's
    question about a malware sample with its choices ("A. Process Injection  B. IsWow64Process ...") read as a
    request with a suffix of rare words: a tenth of CyberSecEval 4's malware and threat-intelligence questions
    were flagged, most of them by the tail cues.
    """
    if "\n" not in text:
        return _inline(text)
    lines: list[tuple[str, bool]] = []
    fenced = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("```"):
            fenced = not fenced
            lines.append((stripped, True))
        else:
            lines.append((stripped, fenced or _code_line(line, stripped)))
    if len(lines) < MIN_LAYOUT_LINES:
        return _inline(lines[0][0]) if lines else 0.0
    total = sum(len(stripped) for stripped, _ in lines)
    share = sum(len(stripped) for stripped, code in lines if code) / total
    items = 0  # the list items that end the text
    for stripped, code in reversed(lines):
        if code or not _item(stripped):
            break
        items += 1
    listed = items >= MIN_ITEMS
    tokens = sum(len(stripped.split()) for stripped, _ in lines)
    reach = tokens - tokens // 2 if tokens <= 2 * TAIL_TOKENS else TAIL_TOKENS  # the tail `cues` reads
    seen = tail = 0
    for i, (stripped, code) in enumerate(reversed(lines)):
        count = min(len(stripped.split()), reach - seen)
        seen += count
        tail += count if code or (listed and i < items) else 0
        if seen >= reach:
            break
    return max(share, tail / seen)


def spaced_words(spaced: str) -> frozenset[str]:
    """The words of a space-separated list, as a set: how the cue and rule word lists are written."""
    return frozenset(spaced.split())


def _pairs(phrases: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset((first, second) for first, second in (p.split() for p in phrases))


# The phrase cues are looked up in the word list the n-grams already made (words and word pairs in frozen
# sets), not scanned for with regular expressions, which at a few hundred words per chunk costs microseconds.
OVERRIDE_VERBS = spaced_words("ignore disregard forget bypass override overwrite skip drop abandon")
OVERRIDE_OBJECTS = spaced_words("instruction instructions prompt prompts rule rules guideline guidelines directive "
                                "directives restriction restrictions policy policies filter filters programming "
                                "constraints")
# The model set up as someone else, or its limits named ("you are now", "act as", "developer mode", "no ethical").
_ADDRESSED_PAIRS = _pairs((
    "you are", "you will", "you must", "now on", "act as", "respond as", "answer as", "in character",
    "developer mode", "no ethical", "no moral", "no restrictions", "no limits", "your programming",
    "your guidelines", "your instructions", "your restrictions", "your rules", "your creators", "your developers",
    "system prompt", "any restrictions", "without restrictions", "without censorship", "openai policy",
    "content policy"))
_ADDRESSED_WORDS = spaced_words("jailbreak jailbroken unfiltered uncensored unrestricted amoral pretend")
# Asking for what a system prompt keeps.
_SECRET_WORDS = spaced_words("password passwords passcode secret credentials credential confidential apikey")
# The fictional or hypothetical frame persuasion attacks (PAIR) put around a request.
_PERSONA_WORDS = spaced_words("imagine hypothetical hypothetically fictional fiction novel story scenario roleplay "
                              "character pretend suppose purely thought experiment universe game purposes screenplay")
_HARM_WORDS = spaced_words("illegal illegally harmful unethical dangerous weapon weapons bomb explosive explosives "
                           "drug drugs hack hacking hacker malware steal kill poison defamatory exploit caught "
                           "detected bypass evade unauthorized fraud scam phishing ransomware counterfeit launder "
                           "laundering illicit blackmail extort harass stalk smuggle misinformation")
# What a persuasion attack asks for once it has avoided the plain harm words: the transgressive, the deceptive and
# the hateful ("controversial yet effective", "without raising red flags", "a convincing article", "loophole").
_TRANSGRESSION_WORDS = spaced_words("controversial unconventional manipulate manipulation manipulative tamper loophole "
                                    "undetected detection convincing persuasive propaganda justify justified "
                                    "misleading fake conspiracy violence violent cruel cruelty vulnerabilities "
                                    "vulnerability bribe bribery corruption addiction extremist racist sexist hateful "
                                    "hurtful derogatory inferior suicide starvation explicit circumvent loopholes "
                                    "sensational defame discredit deceive deceptive sabotage")
_TRANSGRESSION_PAIRS = _pairs(("red flags", "being detected", "getting caught", "being caught", "the radar",
                               "gray area", "grey area", "of legality", "legal loophole", "raising suspicion"))
# Denying the intent a request plainly has: "purely for educational purposes", "will not be used in real life",
# "I understand this is illegal, but" (PAIR's persuasion keeps these while it paraphrases everything else).
_DISCLAIMER_PAIRS = _pairs((
    "educational purposes", "research purposes", "academic purposes", "informational purposes", "purely for",
    "strictly for", "solely for", "hypothetical scenario", "fictional scenario", "not intended", "never be",
    "be used", "real life", "real world", "raise awareness", "understand that", "no harm", "storytelling purposes",
    "artistic expression", "good cause", "greater good"))
# What a persuasion attack (PAIR) presses with once the request is dressed up: stakes and urgency ("a deadline in
# two days", "my family will be homeless", "lives depend on it") and word games that rename the forbidden ("let's
# play a word game: from now on apple means ..."), as the PAIR paper's own attacker prompt describes them.
_STAKES_WORDS = spaced_words("deadline deadlines homeless desperate desperately urgent urgently evicted bankrupt "
                             "starving dying terminally")
_STAKES_PAIRS = _pairs((
    "my family", "your family", "my children", "your children", "two children", "my job", "your job", "lose my",
    "lose your", "be fired", "get fired", "lives depend", "life depends", "job depends", "career depends",
    "depends on", "at stake", "only hope", "last chance", "only chance", "life or", "or death", "word game",
    "a game", "following words", "words mean", "word means", "code words", "code word", "stands for",
    "mean something", "begin by", "replying with", "begin your", "your reply"))
# Dictating the answer's first words, or forbidding a refusal ("sure, here is", "never refuse").
_FORCED_PAIRS = _pairs((
    "sure here", "sure ,", "never refuse", "not refuse", "not apologize", "not apologise", "response with",
    "reply with", "answer with", "never decline", "cannot refuse"))
# A forced opening in quotes: "start the article with "Title:"", "answer ... starting with 'Sure'", "begin your
# reply with "I'm sorry..."": 0 of the 7,835 benign training prompts, 80 of the 650 in-the-wild jailbreaks.
_FORCED_OPENING_RE = re.compile(r"\b(?:start|begin|open)\w* (?:\w+ ){0,3}with [\"'\u201c\u2018]"
                                r"|\b(?:starting|beginning) with [\"'\u201c\u2018]")
_QUOTED_WITH = ('with "', "with '", "with \u201c", "with \u2018")  # what every forced opening holds


def _forced(text: str, pairs: Counter[tuple[str, str]]) -> int:
    """Forced-answer phrases ("never refuse", "reply with") and a forced opening in quotes."""
    # (the pattern is searched only in text that has one of its endings: 0.05 ms per window otherwise)
    opening = any(q in text for q in _QUOTED_WITH) and _FORCED_OPENING_RE.search(text) is not None
    return _count(pairs, _FORCED_PAIRS) + opening


# Fake turns and system messages: "### system:", "[INST]", "<|im_start|>", "</rule>", "admin:".  The markup
# is matched only in texts holding one of its characters; a role with a colon is a word pair.
_CHAT_MARKUP = (r"\[/?(?:system|inst|admin|assistant|user)\]|</?(?:system|sys|im_start|im_end|rule|instructions?)>"
                r"|<\|[a-z_]+\|>")
_DELIMITER_RE = re.compile(r"#{2,}|-{3,}|={3,}|" + _CHAT_MARKUP)
_DELIMITER_HINTS = ("##", "--", "==", "[", "<")
_ROLE_PAIRS = frozenset((role, ":") for role in ("system", "admin", "assistant", "developer", "override", "sudo"))
_DROP_SYMBOLS = str.maketrans(dict.fromkeys("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"))

CUES = ("odd-window", "tail-odd", "tail-odd-excess", "tail-symbols", "tail-oov-excess", "tail-gibberish", "override",
        "addressed", "delimiter", "secret", "persona", "harm", "forced-answer", "persona-harm", "disclaimer",
        "disclaimer-harm", "transgression", "persona-transgression", "addressed-transgression",
        "tail-surprise-excess", "surprise-odd", "stakes", "stakes-transgression")
DIM = HASHED + len(CUES)
# The cues that read the tail of a text against its head: what an adversarial suffix at the end of a prompt shows.
TAIL_CUES = ("tail-odd", "tail-odd-excess", "tail-symbols", "tail-oov-excess", "tail-gibberish",
             "tail-surprise-excess", "surprise-odd")
_TAIL_INDEX = np.asarray([CUES.index(name) for name in TAIL_CUES])
# The cues of how dense a text is with harm and transgression words alone, with nothing around them: what a text is
# about rather than what it does.  A security analyst's question ("How might the actors evolve their techniques to
# bypass MFA and evade detection?") has as many as a jailbreak (see `detector`, the wrapped-request rule).
TOPIC_CUES = ("harm", "transgression")
TOPIC_INDEX = np.asarray([CUES.index(name) for name in TOPIC_CUES])
TOPIC_FEATURES = HASHED + TOPIC_INDEX  # their places in the feature vector
TAIL_TOKENS = 20
HEAD_TOKENS = 40
MIN_TOKENS = 16  # a suffix attack is a request and a suffix; fewer words are too few to compare halves
# Character surprise (nats per character, see `charlm`) is read from ORDINARY_SURPRISE up: the median of benign
# training prompts' tails is about 2.0 and their 99th percentile 2.3-4 (code, data and translations at the top).
ORDINARY_SURPRISE = 2.2
SURPRISE_SPAN = 2.0
DENSE_WORDS = 150


def _capped(count: float, cap: int) -> float:
    return min(count, cap) / cap


# Letters of scripts written without spaces (Thai, kana, Han) and Hangul: a run of them is a word boundary when odd
# tokens are counted, since punctuation glued to them ("视角(男生", "1)攻略", "明日[土曜日]") is how those scripts
# are written; a lone bracket or mark left between two runs is not a token, and each run counts as one word.
_UNSPACED_RUN_RE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


def _odd(tokens: list[str]) -> float:
    if not tokens:
        return 0.0
    joined = " ".join(tokens)
    if not joined.isascii():
        spaced, runs = _UNSPACED_RUN_RE.subn(" ", joined)
        if runs:
            # each run counts as one ordinary word, so a citation "[1]" among sentences is a small share
            parts = [part for part in spaced.split() if len(part) > 1]
            return len(_ODD_RE.findall(" ".join(parts))) / (len(parts) + runs)
    return len(_ODD_RE.findall(joined)) / len(tokens)


def odd_share(text: str) -> float:
    """The share of a text's whitespace tokens that are odd (brackets, braces, symbols glued into words)."""
    return _odd(text.lower().split())


def _oov(tokens: list[str], words: frozenset[int]) -> float:
    """The share of Latin-letter words missing from the lexicon, out of the words or the tokens if those are more.

    Out of the tokens too: a Chinese window's tail has one Latin word among its runs of Han, and that word
    alone, missing from the lexicon, read as a tail 100% unknown (+5.9 in logits: 2 of the 3 Chinese documents
    WritingBench's dev half had flagged).
    """
    alpha = ALPHA_RE.findall(" ".join(tokens))
    missing = sum(1 for h in map(WORD_HASHES.__getitem__, alpha) if h not in words)
    return missing / max(len(alpha), len(tokens)) if alpha else 0.0


def _count(counts: Counter[_T], keys: frozenset[_T]) -> int:
    # a keys view intersected with a set runs in C over the smaller of the two; only the matches are summed
    return sum(map(counts.__getitem__, counts.keys() & keys))


def _override(words: Sequence[str]) -> int:
    """"ignore ... previous instructions": an override verb with an instruction word at most eight words on."""
    found = 0
    for verb in OVERRIDE_VERBS.intersection(words):
        i = words.index(verb)
        while True:
            found += not OVERRIDE_OBJECTS.isdisjoint(words[i + 1:i + 9])
            try:
                i = words.index(verb, i + 1)
            except ValueError:
                break
    return found


@lru_cache(maxsize=16)
def tokenize(text: str) -> tuple[str, ...]:
    """The words and punctuation marks of `text` as the word n-grams and the cues read them.

    Remembered for the last few texts: the hand-written rules (`override`, `extraction`) read the same forms of
    a message one after the other."""
    return tuple(_WORD_RE.findall(text))


# ASCII punctuation but "_" (a word character to `tokenize`), read as spaces by `word_set`
_PUNCTUATION_TO_SPACE = str.maketrans(dict.fromkeys("!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~", " "))


@lru_cache(maxsize=16)
def word_set(text: str) -> frozenset[str]:
    """The words of `text`, without their order or counts: a cheap first look (a third of `tokenize`'s cost on
    ASCII text) for the rules, which tokenize only a text that has one of the words they need."""
    if text.isascii():
        return frozenset(text.translate(_PUNCTUATION_TO_SPACE).split())
    return frozenset(tokenize(text))


def harm_words(words: frozenset[str]) -> bool:
    """Whether `words` (see `word_set`) hold one of the harm or transgression words the model's topic cues count."""
    return not (_HARM_WORDS.isdisjoint(words) and _TRANSGRESSION_WORDS.isdisjoint(words))


def multilingual_override(text: str, counts: Counter[str], present: frozenset[str] | None = None) -> int:
    """An override in another language: one of its verbs and one of its instruction words in the same window.

    Word order differs (the verb comes last in Hindi, Japanese, Korean and Turkish), and scripts without
    spaces have no words to count a distance in, so co-occurrence in the window stands in for nearness.
    """
    verbs = multilingual.OVERRIDE.count(text, counts, present)
    return min(verbs, multilingual.INSTRUCTIONS.count(text, counts, present)) if verbs else 0


def secret_words(text: str, counts: Counter[str], present: frozenset[str] | None = None) -> int:
    """Words for what a system prompt keeps (password, secret, credentials), in English and the lexicon's languages."""
    return _count(counts, _SECRET_WORDS) + multilingual.SECRETS.count(text, counts, present)


# The addressed pairs but "you will" and "you must": "you must submit by Friday" is how a policy or a brief speaks.
_FOCUS_PAIRS = _ADDRESSED_PAIRS - _pairs(("you will", "you must"))
# The chat-template markup of `_DELIMITER_RE`, without the rule lines and headings ("---", "##") any document has.
_CHAT_MARKUP_RE = re.compile(_CHAT_MARKUP)
_CHAT_MARKUP_HINTS = ("[", "<")


def override_cue(text: str) -> bool:
    """Whether `text` (a paragraph as sent) overrides the model's instructions outright: "ignore all previous
    instructions", "vergiss alle Anweisungen"; what no document says to its human reader."""
    lowered = text.lower()
    words = _WORD_RE.findall(lowered)
    return _override(words) > 0 or multilingual_override(lowered, Counter(words)) > 0


def injection_cue(text: str) -> bool:
    """Whether a paragraph of a text as sent speaks to the model about its instructions: an override, words that
    address it as an unrestricted model, a forced answer, a role label ("system:") or chat-template markup.

    Narrower than `attack_cue`: persona words, "you will", "you must" and rule lines are left out, since a
    document's paragraphs have them ("Imagine the reader...", "you must submit", "## Platforms:") and
    `detector.focus` scores each paragraph with a cue alone.
    """
    lowered = text.lower()
    return _speaks_to_model(lowered, _WORD_RE.findall(lowered), frozenset(), _FOCUS_PAIRS, _CHAT_MARKUP_HINTS,
                            _CHAT_MARKUP_RE)


def attack_cue(text: str, words: Sequence[str]) -> bool:
    """Whether `text` (lower-cased; `words` as the n-grams tokenise it) raises the override, addressed, fake
    markup, forced-answer or persona cue: what `cues` computes for them, without the costlier shape cues."""
    return _speaks_to_model(text, words, _PERSONA_WORDS, _ADDRESSED_PAIRS, _DELIMITER_HINTS, _DELIMITER_RE)


def _speaks_to_model(text: str, words: Sequence[str], persona: frozenset[str], addressed: frozenset[tuple[str, str]],
                     hints: tuple[str, ...], markup: re.Pattern[str]) -> bool:
    """The light check `attack_cue` and `injection_cue` share: the addressed words, an override, the `persona`
    words, the `addressed` pairs, a forced answer, a role label, `markup` (looked for only when one of `hints`
    is in `text`), or an override in another language."""
    counts = Counter(words)
    if _count(counts, _ADDRESSED_WORDS) or _count(counts, persona) or _override(words):
        return True
    pairs = Counter(itertools.pairwise(words))
    if _count(pairs, addressed) or _forced(text, pairs) or _count(pairs, _ROLE_PAIRS):
        return True
    if any(h in text for h in hints) and markup.search(text):
        return True
    return multilingual_override(text, counts) > 0


def cues(text: str, words: Sequence[str] | None = None, pasted: float = 0.0,
         ends: bool = True) -> npt.NDArray[np.float32]:
    """The dense shape cues of `text` (lower-cased), each in [0, 1], in the order of CUES.

    `words` is `text` split by the word-n-gram tokenizer, if the caller has it already.  `pasted` is the
    `layout` of the text as sent: how much of it is pasted code or data, which scales the suffix shape cues
    (odd tokens, symbols, words missing from the word list, character surprise) and the generic rule lines
    ("---", "===", "##") down, since pasted code has all of them (by one minus `pasted` stretched from
    GATE_FROM to GATE_FULL).  The gibberish
    cues compare the tail of a text with its head rather than with English at large: an adversarial
    suffix is a tail unlike the request before it, while a text full of names, jargon or code is unlike
    the lexicon all through, and must not look like an attack for that.

    `ends` says whether `text` ends where the prompt does.  A window cut from the middle of a long prompt
    (see `detector.chunks`) has no tail: its last words are wherever the cut fell, mid-formula or mid-name,
    while an adversarial suffix ends the prompt, or the paragraph scored alone.  Such a window's tail cues
    are zero (TAIL_CUES), and their cost is not paid.
    """
    tokens = text.split()
    n = len(tokens)
    if n == 0:
        return np.zeros(len(CUES), dtype=np.float32)
    if words is None:
        words = _WORD_RE.findall(text)
    # Work is bounded: the tail and at most HEAD_TOKENS before it, so a long chunk costs what a short one does.
    cut = n // 2 if n <= 2 * TAIL_TOKENS else n - TAIL_TOKENS
    head, tail = tokens[max(0, cut - HEAD_TOKENS):cut], tokens[cut:]
    head_odd = _odd(head)
    tail_odd = _odd(tail)
    tail_text = " ".join(tail)
    oov_excess = surprise_excess = surprising = 0.0
    if ends:
        lex = lexicon()
        oov_excess = max(0.0, _oov(tail, lex) - _oov(head, lex)) if n >= MIN_TOKENS else 0.0
        if n >= MIN_TOKENS:
            head_surprise, tail_surprise = charlm.surprises(" ".join(head), tail_text)
        else:
            tail_surprise = head_surprise = charlm.surprise(tail_text)
        surprising = min(1.0, max(0.0, (tail_surprise - ORDINARY_SURPRISE) / SURPRISE_SPAN))
        surprise_excess = min(1.0, max(0.0, (tail_surprise - head_surprise) / SURPRISE_SPAN))
    counts = Counter(words)  # set lookups go over the few cue words, not over every word of the text
    present = multilingual.scripts(text)
    pairs = Counter(itertools.pairwise(words))
    # topic words are counted per DENSE_WORDS words: a jailbreak is dense with them, while a long document (a
    # judgment, a novel's chapter) holds a few of each by its length alone
    dense = min(1.0, DENSE_WORDS / len(words))
    addressed = _count(pairs, _ADDRESSED_PAIRS) + _count(counts, _ADDRESSED_WORDS)
    persona = _capped(dense * _count(counts, _PERSONA_WORDS), 4)
    harm = _capped(dense * _count(counts, _HARM_WORDS), 3)
    transgression = _capped(dense * (_count(counts, _TRANSGRESSION_WORDS) + _count(pairs, _TRANSGRESSION_PAIRS)), 3)
    disclaimer = _capped(dense * _count(pairs, _DISCLAIMER_PAIRS), 2)
    stakes = _capped(dense * (_count(counts, _STAKES_WORDS) + _count(pairs, _STAKES_PAIRS)), 3)
    delimiters = _count(pairs, _ROLE_PAIRS)
    shape = 1.0 - min(1.0, max(0.0, (pasted - GATE_FROM) / (GATE_FULL - GATE_FROM)))
    if any(h in text for h in _DELIMITER_HINTS):
        found = _DELIMITER_RE.findall(text)
        rules = sum(1 for d in found if d[0] in "#-=")
        delimiters += len(found) - rules + round(rules * shape)
    out = (
        shape * (head_odd * len(head) + tail_odd * len(tail)) / (len(head) + len(tail)),
        shape * tail_odd,
        shape * max(0.0, tail_odd - head_odd),
        shape * min(1.0, 4 * (len(tail_text) - len(tail_text.translate(_DROP_SYMBOLS))) / max(1, len(tail_text))),
        shape * oov_excess,
        shape * oov_excess * tail_odd,
        _capped(_override(words) + multilingual_override(text, counts, present), 2),
        _capped(addressed, 6),
        _capped(delimiters, 4),
        _capped(secret_words(text, counts, present), 2),
        persona,
        harm,
        _capped(_forced(text, pairs), 2),
        persona * harm,
        disclaimer,
        disclaimer * harm,
        transgression,
        persona * transgression,
        _capped(addressed, 6) * transgression,
        shape * surprise_excess,
        shape * surprising * tail_odd,
        stakes,
        stakes * max(harm, transgression),
    )
    values = np.asarray(out, dtype=np.float32)
    if not ends:
        values[_TAIL_INDEX] = 0.0
    return values


_CUE_INDEX = np.arange(HASHED, DIM, dtype=np.uint32)


def vector(text: str, pasted: float = 0.0, ends: bool = True) -> tuple[Indices, npt.NDArray[np.float32]]:
    """(distinct indices, values): the n-gram counts of `text` scaled to unit length, then the dense cues.

    `pasted` is the `layout` of the text as sent, `ends` whether `text` ends the prompt (see `cues`)."""
    words = tokenize(text)  # remembered: the rules read the same form's words after (`override`)
    idx, counts = np.unique(np.concatenate((char_ngrams(text), word_ngrams(text, words))), return_counts=True)
    values = counts.astype(np.float32)
    norm = float(np.sqrt(np.dot(values, values)))
    if norm > 0:
        values /= norm
    dense = cues(text, words, pasted, ends)
    return np.concatenate((idx.astype(np.uint32), _CUE_INDEX)), np.concatenate((values, dense))
