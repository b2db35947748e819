"""Whether a request touches harm at all: the gate of the rules that find an attack by its shape.

A faux dialogue, a request nested in a story or a table, a conversation held in a cipher: each shape is also how
ordinary prompts are written (few-shot examples, fill-in templates, puzzles), and what makes one an attack is
that what it carries is harmful.  The model's topic cues count `features`' harm and transgression words and the
capability categories name four kinds of capability; neither names the drugs, the killing, the abuse and the
trafficking that public jailbreak collections ask for (AdvBench's behaviours, HarmBench's), so the gate adds them.
They are a gate only: the model's features, and with them the shipped weights, do not read this list.  Words are
read as `features.word_set` splits them, at punctuation, so a hyphenated entry ("ghost-gun") could never match.
"""

from __future__ import annotations

from clearance.safeguards import capabilities, features

ILLICIT = features.spaced_words(
    # drugs and their precursors, and the arms a many-shot prompt's examples convert
    "meth methamphetamine cocaine crack heroin fentanyl carfentanil opioids mdma lsd ketamine pseudoephedrine "
    "ephedrine precursors overdose untraceable suppressor silencer "
    # violence, abuse and trafficking
    "murder murdering assassinate assassination terrorist terrorists terrorism torture kidnap kidnapping "
    "trafficking trafficked pornography pornographic csam molest molestation genocide massacre "
    "lynching bioweapon bioweapons "
    # deception and theft the harm words leave out
    "counterfeiting forgery impersonate embezzle embezzlement "
    "vandalize arson shoplift shoplifting extortion ransom")


def touches_harm(text: str) -> bool:
    """Whether lower-cased, folded `text` holds a harm or transgression word, one of ILLICIT's, or a capability
    category."""
    words = features.word_set(text)  # remembered: the rules read the same forms one after the other
    return features.harm_words(words) or not ILLICIT.isdisjoint(words) or bool(capabilities.classify(text))
