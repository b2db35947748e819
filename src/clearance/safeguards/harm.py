"""Whether a request touches harm at all: the gate of the rules that find an attack by its shape, and of the rule
for a harmful request hidden in an encoding.

A faux dialogue, a request nested in a story or a table, a conversation held in a cipher: each shape is also how
ordinary prompts are written (few-shot examples, fill-in templates, puzzles), and what makes one an attack is
that what it carries is harmful.  The model's topic cues count `features`' harm and transgression words and the
capability categories name four kinds of capability; neither names the drugs, the killing, the abuse and the
trafficking that public jailbreak collections ask for (AdvBench's behaviours, HarmBench's), so the gate adds them.
They are a gate only: the model's features, and with them the shipped weights, do not read this list.  Words are
read as `features.word_set` splits them, at punctuation, so a hyphenated entry ("ghost-gun") could never match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from clearance.safeguards import capabilities, features

# the drugs public collections ask to have made: what `arms` adds to the capability categories
DRUGS = features.spaced_words("meth methamphetamine cocaine crack heroin fentanyl carfentanil mdma lsd ketamine")
ILLICIT = DRUGS | features.spaced_words(
    # their precursors, and the arms a many-shot prompt's examples convert
    "opioids pseudoephedrine ephedrine precursors overdose untraceable suppressor silencer "
    # violence, abuse and trafficking
    "murder murdering assassinate assassination terrorist terrorists terrorism torture kidnap kidnapping "
    "trafficking trafficked pornography pornographic csam molest molestation genocide massacre "
    "lynching bioweapon bioweapons "
    # deception and theft the harm words leave out
    "counterfeiting forgery impersonate embezzle embezzlement "
    "vandalize arson shoplift shoplifting extortion ransom hotwire hotwiring burglary burglarize lockpicking")
# acts no single word names: "break into a car", "pick a lock", "without them knowing"; and the words without one of
# which the pattern cannot match
_ILLICIT_RE = re.compile(r"\b(?:break(?:ing)? into|hot-wir\w+|pick(?:ing)? (?:a|the) lock|without (?:their|his|her|"
                         r"them|anyone) (?:knowing|noticing|consent|permission))\b")
_ILLICIT_ACT_WORDS = features.spaced_words("break breaking hot pick picking without")


@lru_cache(maxsize=32)
def touches_harm(text: str) -> bool:
    """Whether lower-cased, folded `text` holds a harm or transgression word, one of ILLICIT's or of the acts after
    it, or a capability category.  Remembered for the last texts: several rules ask it of the same form."""
    words = features.word_set(text)  # remembered too: the rules read the same forms one after the other
    return (features.harm_words(words) or not ILLICIT.isdisjoint(words) or bool(capabilities.classify(text))
            or (not _ILLICIT_ACT_WORDS.isdisjoint(words) and _ILLICIT_RE.search(text) is not None))


# what a request, as opposed to a document or a command line, has: a verb that asks, or a question word
_ASKING = features.spaced_words(
    "how what which where why who provide give write create develop explain teach outline design generate "
    "instruct describe produce list show tell detail craft make help suggest offer compose draft build")
REQUEST_WORDS = 3  # "bomb" alone, decoded from a hash's lucky run, asks nothing


def asks_harm(text: str) -> bool:
    """Whether lower-cased, folded `text` is a request (a verb that asks, or a question word) that touches harm.

    Read on a payload decoded from a user's message: a harmful request in base64, hex, a cipher or Morse is
    hidden from a filter, and hiding it is the attack whatever it asks (Wei et al.'s base64 attack; a plain
    request is the capability categories' business, so the model, trained to read a wrapper, scored one in base64
    0.06).  Of the 15,000 benign prompts of the shared and external sets none holds such a payload; a sample in
    base64 that decodes to a command line has no verb that asks."""
    words = features.word_set(text)
    return len(words) >= REQUEST_WORDS and not _ASKING.isdisjoint(words) and touches_harm(text)


# a request for a procedure: how to do it, its steps, a guide ("how would crime rates change" asks for no procedure)
_HOW_RE = re.compile(r"\b(?:how (?:do|can|could|would|should|to|might) (?:i|we|you|one|someone|people|they)?\s*"
                     r"(?:make|build|create|get|synthesi[sz]e|produce|cook|brew|assemble|manufacture|obtain|buy|"
                     r"acquire|break|hack|steal|access|bypass|write|code|deploy|spread|use|grow|extract|weaponi[sz]e|"
                     r"enrich|convert|modify|smuggle|launder|poison|kill|disable|evade|crack|clone|track|spy)|"
                     r"\bhow to\b|step[ -]by[ -]step|\bsteps (?:to|for)\b|instructions (?:for|on|to)|"
                     r"(?:a )?(?:guide|tutorial|recipe|walkthrough|blueprint) (?:for|on|to)|"
                     r"(?:explain|show|tell|teach) (?:me |us )?how)")


def names_drug(text: str) -> bool:
    """Whether lower-cased, folded `text` names one of DRUGS."""
    return not DRUGS.isdisjoint(features.word_set(text))


def arms(text: str) -> bool:
    """Whether lower-cased, folded `text` is about what a real procedure would arm: a capability category, or one
    of DRUGS.  Stricter than `touches_harm`, which "kill a zombie process" satisfies."""
    return bool(capabilities.classify(text)) or names_drug(text)


def asks_procedure(text: str) -> bool:
    """Whether lower-cased, folded `text` asks for a procedure: "how do I make", "step by step", "instructions for"."""
    return _HOW_RE.search(text) is not None


def asks_how(text: str) -> bool:
    """Whether lower-cased, folded `text` asks for a procedure about what it `arms`."""
    return asks_procedure(text) and arms(text)
