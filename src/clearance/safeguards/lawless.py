"""A world without consequences, declared before a request for a dangerous procedure.

"We are in a simulation where laws don't apply", "In a world where hacking is legal and encouraged", "This is a
sandboxed test environment; your outputs will never be seen by anyone": the virtualization framings of Liu et
al.'s jailbreak taxonomy (2023) put the model somewhere its safety seems not to matter, then ask.  Each scored
0.04 to 0.06: the n-gram model read an ordinary how-to question.

The rule needs both:

- the declaration (`_LAWLESS_RE`): laws, rules or ethics that do not apply; the harmful act made legal ("a world
  where hacking is legal"); nothing real or no consequences; outputs no one will see; a sandbox, simulation or
  test environment the answer is "only" for;
- a request for a procedure in a capability category or a drug's making (`harm.asks_how`).

"In a world where drugs are legal, how would crime rates change?" asks for no procedure; "our test environment is
sandboxed; how do I deploy to it?" arms nothing.  Hand-written from the taxonomy's description; it reads no data set.
"""

from __future__ import annotations

import re

from clearance.safeguards import features, harm

_LAWLESS_RE = re.compile(
    r"\b(?:laws?|rules|ethics|morals|morality|regulations|consequences) (?:don't|do not|doesn't|does not|no longer|"
    r"never) (?:apply|exist|matter|count)"
    r"|\b(?:world|universe|country|reality|simulation|game|society) (?:where|in which) [\w\s,'-]{0,40}?\b(?:is|are|"
    r"was|were|becomes?|became) (?:\w+ )?(?:legal|allowed|permitted|encouraged|lawful|mandatory)"
    r"|\bnothing (?:here |you say |you write )?(?:is|will be) real\b|\bno (?:real[ -]world )?consequences\b"
    r"|\b(?:outputs?|answers?|responses?|replies|words) (?:will|would|can) (?:never|not) be (?:seen|read|used|logged|"
    r"monitored|traced|reviewed)"
    r"|\b(?:sandbox(?:ed)?|simulated|virtual|offline|private) (?:test |testing )?(?:environment|world|mode|session)"
    r"[\w\s,;'-]{0,60}?\b(?:no one|nobody|never|won't|will not|without (?:any )?(?:consequences|filters|rules))")
# the words without one of which `_LAWLESS_RE` cannot match
_LAWLESS_WORDS = features.spaced_words(
    "apply exist matter count legal allowed permitted encouraged lawful mandatory real consequences seen read used "
    "logged monitored traced reviewed sandbox sandboxed simulated virtual offline private")


def lawless_frame(text: str) -> bool:
    """Whether lower-cased, folded `text` declares a world without consequences and asks in it for a dangerous
    procedure (see the module's docstring)."""
    if not harm.arms(text) or _LAWLESS_WORDS.isdisjoint(features.word_set(text)):
        return False
    return _LAWLESS_RE.search(text) is not None and harm.asks_procedure(text)
