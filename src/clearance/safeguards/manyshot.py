"""Many-shot jailbreaks: a faux dialogue, written into one message, in which an assistant answered harmful requests.

Anil et al. (Anthropic, 2024) showed that a model conditioned on enough exchanges of "User: <harmful request>
Assistant: <compliant answer>" goes on to answer the request the message ends with, and that the effect grows
with the number of shots.  The n-gram model reads such a message by its windows: a window of recipes for meth
and a conversion of a handgun to full auto reads like a how-to, not like a jailbreak, and a four-shot prompt
scored 0.01.  What gives it away is its shape, which no benign prompt in the external or shared sets has:

- turns labelled inline ("User:", "Human:", then "Assistant:", "AI:"), at least MIN_EXCHANGES exchanges of a
  user's turn answered by an assistant's;
- the message ends on a user's turn left open: the slot the model is to fill as the faux assistant did;
- in at least MIN_HARMFUL of the exchanges the assistant *answered* (ANSWER_WORDS words or more, not a refusal)
  a request that touches harm (`harm.touches_harm`: a harm or transgression word, a capability category, or one
  of the drugs, arms and crimes neither names).

Few-shot prompting in the same shape is ordinary ("User: I love it! Assistant: positive"), and so is a
moderation prompt whose examples are harmful: their assistant turns are labels, not answers, so they count
for nothing.  A transcript pasted for a summary ends on the assistant's turn or on the question about it.
Hand-written from the paper's description and PyRIT's many-shot template; it reads no data set.
"""

from __future__ import annotations

import re

from clearance.safeguards import harm

MIN_EXCHANGES = 3
MIN_HARMFUL = 2
ANSWER_WORDS = 12  # "positive", "unsafe: weapons" are a classifier's labels, not an answer
_USER_ROLES = frozenset({"user", "human"})
# a label starts a line or follows a space or a quote; "Note: user: ..." counts, "superuser:" does not
_LABEL_RE = re.compile(r"(?:^|(?<=[\s\"'(\[*]))(user|human|assistant|ai|bot|chatbot|model)\s*:", re.MULTILINE)
_REFUSAL_RE = re.compile(r"\s*(?:i'm sorry|i am sorry|sorry|i can't|i cannot|i can not|i won't|i will not|"
                         r"as an ai|certainly not|no,|i'm not able|i am not able|i must decline|i apologi[sz]e)")


def faux_dialogue(text: str) -> bool:
    """Whether lower-cased, folded `text` is a many-shot prompt (see the module's docstring)."""
    if "assistant" not in text and "ai:" not in text and "bot:" not in text and "model:" not in text:
        return False
    labels = list(_LABEL_RE.finditer(text))
    if len(labels) < 2 * MIN_EXCHANGES + 1 or labels[-1].group(1) not in _USER_ROLES:
        return False
    exchanges = harmful = 0
    for asked, answered, after in zip(labels, labels[1:], [*labels[2:], None], strict=False):
        if asked.group(1) not in _USER_ROLES or answered.group(1) in _USER_ROLES:
            continue
        exchanges += 1
        request = text[asked.end():answered.start()]
        answer = text[answered.end():after.start() if after is not None else len(text)]
        if len(answer.split()) >= ANSWER_WORDS and not _REFUSAL_RE.match(answer) \
                and (harm.touches_harm(request) or harm.touches_harm(answer)):
            harmful += 1
    return exchanges >= MIN_EXCHANGES and harmful >= MIN_HARMFUL
