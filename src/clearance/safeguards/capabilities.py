"""Which capability categories a request touches: weighted phrase lexicons, a first version.

A directive may cut only part of a model (say cyber-offense) instead of all of it, so each
request is classified into the categories of `clearance.domain.capabilities`.  This version is a
hand-written lexicon per category: each pattern carries a weight, a request's category score is
1 - exp(-sum of the weights that matched), and a category is reported at 0.5 or more.  Strong
phrases ("synthesize sarin", "write ransomware") pass alone; weak words ("exploit", "drone")
need company, which keeps "kill a Python process" and "shoot a photo" out.  It reads the folded
text, so disguises do not hide a term.  A trained classifier is to replace it in a later version.
"""

from __future__ import annotations

import math
import re

from clearance.domain.capabilities import Capability

REPORT_AT = 0.5

_LEXICON: dict[Capability, tuple[tuple[str, float], ...]] = {
    Capability.CYBER_OFFENSE: (
        (r"\b(ransomware|keylogger|rootkit|botnet|trojan|spyware|infostealer|cryptojack\w*)\b", 0.8),
        (r"\b(malware|virus|worm)\b", 0.4),
        (r"\b(exploit|zero[- ]?day|0day|payload|shellcode|reverse shell|privilege escalation)\b", 0.35),
        (r"\b(sql injection|xss|cross[- ]site scripting|buffer overflow|remote code execution|rce)\b", 0.45),
        (r"\b(hack(ing)? into|break into|gain (unauthori[sz]ed )?access to|bypass (the )?(authentication|login"
         r"|firewall|antivirus|edr))\b", 0.8),
        (r"\b(ddos|denial[- ]of[- ]service|brute[- ]?forc\w*|crack (the |a )?password|phishing|credential"
         r" (theft|stuffing|harvest\w*))\b", 0.55),
        (r"\b(steal|exfiltrat\w*|dump)\b.{0,40}\b(password|credential|data|database|cookies?|tokens?)\b", 0.5),
        (r"\b(write|create|code|develop|build)\b.{0,30}\b(malware|virus|worm|ransomware|exploit|keylogger)\b", 0.8),
        (r"\b(evade|evading|avoid)\b.{0,30}\b(detection|antivirus|edr)\b", 0.35),
    ),
    Capability.CBRN_WEAPONS: (
        (r"\b(sarin|tabun|soman|vx|novichok|mustard gas|ricin|abrin|anthrax|botulinum|smallpox|ebola|plague"
         r"|dimethylmercury|nerve agents?|phosgene|chlorine gas)\b", 0.8),
        (r"\b(chemical|biological|bio|nuclear|radiological)\s+(weapons?|warfare|agents?|attack)\b", 0.8),
        (r"\b(dirty bomb|enrich\w* uranium|weapons?[- ]grade|plutonium|uranium|fissile|nuclear bomb)\b", 0.7),
        (r"\b(synthesi[sz]\w*|make|produce|weaponi[sz]\w*|culture|aerosoli[sz]\w*|disperse|spread)\b.{0,40}"
         r"\b(toxin|pathogen|virus|nerve agent|gas|bacteria|spores?)\b", 0.45),
        (r"\b(gain[- ]of[- ]function|pandemic pathogen|enhance transmissibility)\b", 0.8),
    ),
    Capability.CONVENTIONAL_WEAPONS: (
        (r"\b(pipe bomb|explosives?|ied|detonator|napalm|molotov|thermite|tnt|c-4|c4|ammonium nitrate bomb"
         r"|grenade)\b", 0.8),
        (r"\b(bomb)\b", 0.45),
        (r"\b(gun|firearm|rifle|pistol|ar-15|ar15|ghost gun|silencer|suppressor|ammunition|machine gun)\b", 0.3),
        (r"\b(build|make|manufacture|3d[- ]print\w*|assemble|convert)\b.{0,40}\b(bomb|explosive|gun|firearm"
         r"|rifle|weapon|silencer|suppressor|fully automatic)\b", 0.55),
        (r"\b(untraceable|full[- ]?auto(matic)?|auto sear|bump stock)\b", 0.45),
        (r"\b(weapon|weaponi[sz]\w*|drone strike|armed drone|missile)\b", 0.3),
    ),
    Capability.MASS_SURVEILLANCE: (
        (r"\b(mass surveillance|track (all|every|thousands))\b", 0.8),
        (r"\b(surveil\w*|spy on|stalk\w*)\b", 0.5),
        (r"\b(facial recognition|face recognition|biometric)\b", 0.35),
        (r"\b(track|locate|monitor|identify|deanonymi[sz]\w*|de-anonymi[sz]\w*)\b.{0,40}\b(dissidents?|protesters?"
         r"|journalists?|activists?|citizens|population|minorit\w*|people)\b", 0.55),
        (r"\b(without (their|them|his|her) (knowledge|consent)|covertly|secretly)\b", 0.3),
        (r"\b(phone|location|gps|social media|messages?|communications)\b.{0,30}\b(track\w*|monitor\w*"
         r"|intercept\w*|scrap\w*)\b", 0.35),
        (r"\b(imsi catcher|stingray|wiretap\w*|dragnet)\b", 0.8),
    ),
}


def _groups(pattern: str) -> list[list[str]]:
    """The alternatives of each top-level group of `pattern` that every match goes through (no ?, * or {0,
    after it): "\\b(write|create)\\b.{0,30}\\b(malware|virus)\\b" has two, the verbs and the objects."""
    groups: list[list[str]] = []
    depth, start = 0, 0
    alternatives: list[str] = []
    for i, c in enumerate(pattern):
        if i and pattern[i - 1] == "\\":
            continue
        if c == "(":
            depth += 1
            if depth == 1:
                start, alternatives = i + 1, []
        elif c == "|" and depth == 1:
            alternatives.append(pattern[start:i])
            start = i + 1
        elif c == ")":
            depth -= 1
            if depth == 0 and pattern[i + 1:i + 2] not in ("?", "*", "{"):
                groups.append([*alternatives, pattern[start:i]])
    if depth:
        raise ValueError(f"unbalanced pattern {pattern!r}")
    return groups


def _literal_prefix(alternative: str) -> str:
    """The fixed text every match of `alternative` starts with (possibly empty)."""
    for i, c in enumerate(alternative):
        if c in "[(\\.|":
            return alternative[:i]
        if c in "?*{":
            return alternative[:i - 1]
    return alternative


def _triggers(pattern: str) -> tuple[tuple[str, ...], ...]:
    """For each group every match of `pattern` goes through, substrings one of which a text must hold for it to
    match (a group with an alternative that has no fixed start gives none).

    Python's regex engine pays ~30-50 µs per 2,000 characters to try a \\b-anchored alternation at every
    position, while `in` on a literal is a fast C scan, so each pattern runs only behind its triggers; every
    group counts, since the verbs of "write ... malware" or the "c" of "c-4" are in most texts and the objects
    are not.
    """
    out = []
    for alternatives in _groups(pattern):
        prefixes = tuple(_literal_prefix(a) for a in alternatives)
        if all(prefixes):
            out.append(prefixes)
    return tuple(out)


_COMPILED = {cat: tuple((re.compile(p), _triggers(p), w) for p, w in patterns) for cat, patterns in _LEXICON.items()}


def category_scores(text: str) -> dict[str, float]:
    """Every category's score in [0, 1] for lower-cased, folded `text`."""
    scores: dict[str, float] = {}
    for cat, patterns in _COMPILED.items():
        total = sum(w for pattern, triggers, w in patterns
                    if all(any(map(text.__contains__, group)) for group in triggers) and pattern.search(text))
        scores[cat.value] = round(1.0 - math.exp(-total), 4)
    return scores


def classify(text: str) -> dict[str, float]:
    """The categories `text` touches (score ≥ REPORT_AT), with their scores."""
    return {cat: s for cat, s in category_scores(text).items() if s >= REPORT_AT}
