"""Synthetic adversarial suffixes for training: the shape of a GCG attack, generated, not copied.

An optimiser-made suffix (GCG, Zou et al. 2023) is some twenty tokens of a model's vocabulary chosen by
gradient, not for meaning: word pieces, words of other languages, code and LaTeX fragments and bare
punctuation, glued together or spaced apart.  A held-out fold has few or none of them to learn from
(without JailbreakBench the training set holds 13 suffixes), so the training script adds suffixes made
here to plain harmful requests of the training split, and also adds the benign look-alike: a benign
training prompt followed by a piece of another benign training prompt (code, data, a translation), so that
a tail unlike the head is not an attack by itself.  Vocabulary comes from the benign training texts the
caller passes; nothing here reads an attack.  Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

# Bare punctuation and the code / markup fragments a tokenizer's vocabulary is full of.
_SYMBOLS = ("[", "]", "(", ")", "{", "}", "<", ">", "!", "?", ".", ",", ";", ":", '"', "'", "\\", "/", "|", "$",
            "^", "*", "+", "=", "-", "_", "@", "#", "~", "`", "**", "--", "==", "->", "=>", "](", "({", "})",
            "[]", "!!", "??", "...", "\\{", "};", "${", "<=", "`,", "$.", "]]", "[[", "%", "&")
_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _piece(word: str, rng: random.Random) -> str:
    """A word as a subword vocabulary holds it: whole, cut, or with its case changed."""
    r = rng.random()
    if r < 0.3 and len(word) > 4:
        cut = rng.randint(2, len(word) - 2)
        word = word[:cut] if rng.random() < 0.5 else word[cut:]
    r = rng.random()
    if r < 0.25:
        word = word.capitalize()
    elif r < 0.3:
        word = word.upper()
    return word


def vocabulary(texts: Sequence[str], limit: int = 20_000) -> list[str]:
    """Distinct words of `texts` (any script), in first-seen order, at most `limit`."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD_RE.findall(text):
            seen.setdefault(word, None)
            if len(seen) >= limit:
                return list(seen)
    return list(seen)


def suffix(words: Sequence[str], rng: random.Random) -> str:
    """Some 10-25 tokens of word pieces and symbols, each glued to the one before or spaced from it."""
    out: list[str] = []
    symbol_share = rng.uniform(0.2, 0.6)
    for _ in range(rng.randint(10, 25)):
        token = rng.choice(_SYMBOLS) if rng.random() < symbol_share else _piece(rng.choice(words), rng)
        if out and rng.random() < 0.35:
            out[-1] += token
        else:
            out.append(token)
    return " ".join(out)


def with_suffix(request: str, words: Sequence[str], rng: random.Random) -> str:
    """A request with a generated suffix (one in five times the suffix alone, as some collections hold them)."""
    tail = suffix(words, rng)
    return tail if rng.random() < 0.2 else request.rstrip() + " " + tail


def with_benign_tail(prompt: str, others: Sequence[str], rng: random.Random) -> str:
    """A benign prompt followed by up to 200 characters of another benign prompt (a look-alike negative)."""
    other = rng.choice(others)
    start = rng.randrange(max(1, len(other) - 200))
    return prompt.rstrip() + " " + other[start:start + rng.randint(40, 200)]


def _name(words: Sequence[str], rng: random.Random) -> str:
    return rng.choice(words).lower()[:12] or "x"


def structured(words: Sequence[str], rng: random.Random) -> str:
    """A piece of code, data, a path, a pattern or a list of names, built from `words`: what a user pastes.

    Benign prompts end in these as often as attacks end in a suffix, and they are as unusual to a model of
    prose: brackets, operators, identifiers, names with apostrophes and diacritics.
    """
    a, b, c = (_name(words, rng) for _ in range(3))
    n = rng.randint(0, 999)
    kind = rng.randrange(8)
    if kind == 0:
        values = (str(rng.randint(0, 9999)), f'"{_piece(rng.choice(words), rng)}"', "true", "false", "null",
                  f'["{a}", "{b}"]')
        fields = [f'"{_name(words, rng)}": {rng.choice(values)}' for _ in range(rng.randint(2, 6))]
        return "{" + ", ".join(fields) + "}"
    if kind == 1:
        return f"def {a}_{b}({c}):\n    return [{a} * 2 for {a} in {c} if {a} > {n}]"
    if kind == 2:
        return f"if ({a}.{b}() != null && {c} >= {n}) {{ {a}.{c}({n}); }} else {{ return -1; }}"
    if kind == 3:
        return f"SELECT {a}, COUNT(*) FROM {b} WHERE {c} = '{n}' GROUP BY {a} ORDER BY 2 DESC;"
    if kind == 4:
        return rng.choice([f"/home/{a}/{b}/{c}_{n}.py", f"https://www.{a}.org/{b}?{c}={n}&lang=en",
                           f"C:\\Users\\{a}\\{b}\\{c}.xlsx", f"{a}.{b}@{c}.com"])
    if kind == 5:
        return rng.choice([f"^[a-z0-9._%+-]+@{a}\\.(com|org)$", f"s/{a}/{b}/g", f"\\b{a}\\w*\\b", f"{a}[0-9]{{2,4}}"])
    if kind == 6:
        people = []
        for _ in range(rng.randint(2, 5)):
            first, last = (_piece(rng.choice(words), rng).capitalize() for _ in range(2))
            people.append(rng.choice([f"{first} {last}", f"{first} O'{last}", f"{first} {last}-{a.capitalize()}",
                                      f"Dr. {last}"]))
        return ", ".join(people)
    return f"{a} = {b}.{c}({n}, key=lambda x: x[{rng.randint(0, 3)}])  # {rng.choice(words)}"


def with_structured_tail(prompt: str, words: Sequence[str], rng: random.Random) -> str:
    """A benign prompt followed by a pasted piece of code, data or names (a benign look-alike)."""
    return prompt.rstrip() + rng.choice([" ", "\n", ":\n", "\n\n"]) + structured(words, rng)


def _markup(words: Sequence[str], rng: random.Random) -> str:
    """A line of the markup documents and issue reports are full of: a heading, a link, a tag, a rule, a field."""
    a, b = _name(words, rng), _name(words, rng)
    phrase = " ".join(_piece(rng.choice(words), rng) for _ in range(rng.randint(1, 4)))
    return rng.choice([
        f"## {phrase.capitalize()}", f"### {phrase.capitalize()}:", f"**{phrase.capitalize()}:**", "---", "___",
        f"[{phrase}](https://{a}.com/{b}/{rng.randint(1, 99999)})",
        f"https://github.com/{a}/{b}/issues/{rng.randint(1, 9999)}",
        f"<img width=\"{rng.randint(100, 900)}\" alt=\"image\" src=\"https://{a}.org/{b}.png\">",
        f"<details><summary>{phrase.capitalize()}</summary>", "</details>", f"- [ ] {phrase}", f"- [x] {phrase}",
        f"{phrase.capitalize()}: {_piece(rng.choice(words), rng)} {rng.randint(1, 99)}.{rng.randint(0, 9)}",
        f"@{a} @{b}", f"| {a} | {b} | {rng.randint(0, 999)} |", f"`{a}.{b}()`",
        f"v{rng.randint(1, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 9)}",
    ])


def document(requests: Sequence[str], paragraphs: Sequence[str], words: Sequence[str], rng: random.Random) -> str:
    """One of `requests` around a long pasted document, issue report or set of notes made of `paragraphs`.

    Real users paste documents, articles, bug reports and meeting notes of thousands of characters; the
    benign training prompts are short, and the attacks the model learns from are long, so length, markup
    and a handful of words that persona and harm cues count ("character", "illegal", "story") came to mean
    an attack (WritingBench's writing requests and SWE-Lancer's issue reports were flagged by the dozen).
    The request (a benign instruction) comes before or after the document; the document is `paragraphs`, benign
    texts that are not instructions (answers, passages, data), with headings, lists, links, tags, fields and
    pasted code between them.  Instructions are kept out of the body: a long run of orders addressed to the
    model is what a jailbreak template is, and documents made of them cost 7 points of held-out TPR.
    """
    request = rng.choice(requests).strip()
    parts: list[str] = []
    target = rng.choice((600, 1200, 2000, 3000, 5000))
    size = 0
    while size < target:
        r = rng.random()
        if r < 0.55:
            piece = rng.choice(paragraphs).strip()
            if rng.random() < 0.3:
                piece = "\n".join(f"{rng.choice(('-', '*', '1.', '•'))} {line}" for line in piece.split(". ") if line)
        elif r < 0.85:
            piece = _markup(words, rng)
        else:
            piece = structured(words, rng)
        parts.append(piece)
        size += len(piece) + 2
    body = rng.choice(("\n\n", "\n")).join(parts)
    return f"{request}\n\n{body}" if rng.random() < 0.7 else f"{body}\n\n{request}"

