"""Python source in a tool's result: its string literals are written for another model, not for the reader.

A coding agent working on an LLM application reads prompt templates all day (a module constant SYSTEM_PROMPT
holding "You are an expert Python programmer ... You MUST include the final answer within [ANSWER] tags", judge
prompts, persona briefs).  They address a model, so a paragraph of one, scored alone, reads like an injection
(41 of the 1,222 Python files of inspect_evals, an LLM evaluation suite, were flagged as tool results).  They
address the model the code will call, though, not the agent reading the file: so in a tool result that is
Python, the model and the extraction rule read the code with its string literals blanked out.  Comments stay,
since an injection planted for the agent is written as a comment (7 of the 10 comment plants of inspect_evals'
coding-agent set are found either way), and so does a literal that overrides the instructions outright ("ignore
all previous instructions", `features.override_cue`), which no prompt template says.  The whole-text rules
(planted commands, secrets ordered sent out, text that speaks to its AI reader) still read every literal.

A text is Python when a line starts a definition or an import and the whole parses; literals are found with one
regular expression that also consumes comments, so a quote inside a comment starts no string.
"""

from __future__ import annotations

import ast
import re

from clearance.safeguards import features

_LOOKS_LIKE_PYTHON_RE = re.compile(r"^(?:def |async def |class |import |from [\w.]+ import |@\w)", re.MULTILINE)
# a comment (kept), or a string literal with its prefix: triple-quoted first, then single-line
_TOKEN_RE = re.compile(r"#[^\n]*|(?:\b[rRbBfFuU]{1,2})?(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"
                       r"|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')")
MIN_SENTENCE = 16  # a shorter literal (a key, a format, a path) holds no override; it is not read for one
_NOT_NEWLINE_RE = re.compile(r"[^\n]")


def python_code(text: str) -> str | None:
    """`text` with its string literals blanked (line breaks kept), when it is Python source; None otherwise."""
    if not _LOOKS_LIKE_PYTHON_RE.search(text):
        return None
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return _TOKEN_RE.sub(_blank, text)


def _blank(found: re.Match[str]) -> str:
    literal = found.group()
    if literal.startswith("#") or (len(literal) > MIN_SENTENCE and " " in literal and features.override_cue(literal)):
        return literal
    return _NOT_NEWLINE_RE.sub(" ", literal)
