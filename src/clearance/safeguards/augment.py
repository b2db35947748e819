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



# Orders about the answer's form, as ordinary prompts give them: an opening to begin with, a format to keep, a role
# to answer in.  Jailbreaks give the same orders ("Begin your reply with 'Sure, here is'", "act as DAN") and the
# training attacks are full of them, while the benign training prompts (Self-Instruct, role-play that says
# "Imagine you are") have almost none, so the model came to read the order itself as an attack: "Reply in JSON
# only. Start your response with '{'" scored 0.96 and "I want you to act as a Linux terminal" 0.98.  What makes
# such an order an attack is what it is about; the rule for a harmful one is `completion.ordered_opening`.
_OPEN_VERBS = ("Start", "Begin", "Open", "Preface", "Lead off")
_ANSWERS = ("your response", "your reply", "your answer", "the answer", "your output", "each reply", "every answer",
            "your message", "the first line")
_OPENINGS = ("Sure", "Sure, here is", "Sure! Here's", "Certainly", "Certainly! Here is", "Of course",
             "Absolutely", "Here is", "Here's what I found", "Hello", "Hi there", "Summary:", "Answer:", "Result:",
             "Title:", "Step 1:", "{", "[", "```", "TL;DR:", "Q:", "Note:", "Yes", "No", "Okay", "Great question")
_FORMATS = ("a single number", "yes or no", "valid JSON", "a markdown table", "one word", "a bulleted list",
            "the corrected text only", "code only, no explanations", "a numbered list", "CSV", "a short paragraph",
            "exactly three sentences", "plain text without markdown", "a haiku", "a table with two columns",
            "YAML", "a one-line summary")
_ROLES = ("a SQL console", "a Python interpreter", "a calculator", "a spreadsheet", "an English dictionary",
          "a travel agent", "a math tutor", "a personal trainer", "a copy editor", "a career coach", "a librarian",
          "a historian", "a museum guide", "an interviewer", "a debate coach", "a nutritionist", "a poet",
          "a storyteller", "a UX designer", "a product manager", "a recruiter", "a Spanish teacher", "a chess coach",
          "a text adventure game", "a command-line shell", "a regex tester", "a spell checker",
          "a customer support agent", "a real estate agent", "a gardener", "a film critic", "a science teacher",
          "a patient listener", "a tour guide", "a music teacher", "a startup mentor", "a French pen pal",
          "a proofreader", "a quiz master", "a financial planner")
_TURNS = (("I will type commands", "you will reply with the output only"),
          ("I will describe a problem", "you will suggest a solution"),
          ("I will give you a sentence", "you will correct it"),
          ("I will ask questions", "you will answer them in character"),
          ("I will paste a text", "you will summarise it"),
          ("I will tell you what I need", "you will ask me clarifying questions first"),
          ("I will send you my drafts", "you will give me feedback"))


def steering(requests: Sequence[str], words: Sequence[str], rng: random.Random) -> str:
    """One of `requests` with an order about its answer's form: an opening, a format, or a role (benign)."""
    request = rng.choice(requests).strip()
    kind = rng.random()
    if kind < 0.4:
        opening = rng.choice(_OPENINGS)
        if rng.random() < 0.3:
            opening = f"{opening} {_piece(rng.choice(words), rng)}"
        quote = rng.choice(("'", '"', "\u201c"))
        close = "\u201d" if quote == "\u201c" else quote
        order = f"{rng.choice(_OPEN_VERBS)} {rng.choice(_ANSWERS)} with {quote}{opening}{close}"
        order += rng.choice((".", "", " and nothing else before it.", ", then answer.", "; keep it short."))
    elif kind < 0.7:
        label = _piece(rng.choice(words), rng).upper()
        order = rng.choice((
            f"Answer in the format '{label}: <answer>'.",
            f"Respond only with {rng.choice(_FORMATS)}.",
            f"You must always reply with {rng.choice(_FORMATS)}.",
            f"Format your answer as {label.capitalize()} / {_piece(rng.choice(words), rng).capitalize()} / "
            f"{_piece(rng.choice(words), rng).capitalize()}.",
            f"Use exactly {rng.randint(2, 9)} {rng.choice(('sentences', 'bullet points', 'words', 'lines'))}.",
            f"Return {rng.choice(_FORMATS)} and nothing else.",
        ))
    else:
        role = rng.choice(_ROLES)
        give, answer = rng.choice(_TURNS)
        order = rng.choice((
            f"I want you to act as {role}. {give} and {answer}.",
            f"Act as {role}.",
            f"You are {role}.",
            f"Please act as {role} and stay in that role.",
            f"I want you to act as {role}.",
        ))
    if rng.random() < 0.6:
        return f"{order}{rng.choice((' ', chr(10)))}{request}"
    return f"{request}{rng.choice((' ', chr(10), chr(10) * 2))}{order}"
