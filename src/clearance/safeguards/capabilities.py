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
        (r"\b(pipe bomb|explosives?|ied|detonator|napalm|molotov|thermite|tnt|c-?4|ammonium nitrate bomb"
         r"|grenade)\b", 0.8),
        (r"\b(bomb)\b", 0.45),
        (r"\b(gun|firearm|rifle|pistol|ar-?15|ghost gun|silencer|suppressor|ammunition|machine gun)\b", 0.3),
        (r"\b(build|make|manufacture|3d[- ]print\w*|assemble|convert)\b.{0,40}\b(bomb|explosive|gun|firearm"
         r"|rifle|weapon|silencer|suppressor|fully automatic)\b", 0.55),
        (r"\b(untraceable|full[- ]?auto(matic)?|auto sear|bump stock)\b", 0.45),
        (r"\b(weapon|weaponi[sz]\w*|drone strike|armed drone|missile)\b", 0.3),
    ),
    Capability.MASS_SURVEILLANCE: (
        (r"\b(mass surveillance|track (all|every|thousands))\b", 0.8),
        (r"\b(surveil\w*|spy on|stalk\w*)\b", 0.5),
        (r"\b(facial recognition|face recognition|biometric)\b", 0.35),
        (r"\b(track|locate|monitor|identify|de-?anonymi[sz]\w*)\b.{0,40}\b(dissidents?|protesters?|journalists?"
         r"|activists?|citizens|population|minorit\w*|people)\b", 0.55),
        (r"\b(without (their|them|his|her) (knowledge|consent)|covertly|secretly)\b", 0.3),
        (r"\b(phone|location|gps|social media|messages?|communications)\b.{0,30}\b(track\w*|monitor\w*"
         r"|intercept\w*|scrap\w*)\b", 0.35),
        (r"\b(imsi catcher|stingray|wiretap\w*|dragnet)\b", 0.8),
    ),
}


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of the group a pattern starts with (every pattern starts with "\\b(")."""
    depth, start = 0, 3
    out: list[str] = []
    for i in range(3, len(pattern)):
        c = pattern[i]
        if c == "(" and pattern[i - 1] != "\\":
            depth += 1
        elif c == ")" and pattern[i - 1] != "\\":
            if depth == 0:
                return [*out, pattern[start:i]]
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    raise ValueError(f"unbalanced pattern {pattern!r}")


def _literal_prefix(alternative: str) -> str:
    """The fixed text every match of `alternative` starts with (possibly empty)."""
    for i, c in enumerate(alternative):
        if c in "[(\\.|":
            return alternative[:i]
        if c in "?*{":
            return alternative[:i - 1]
    return alternative


def _triggers(pattern: str) -> tuple[str, ...] | None:
    """Substrings one of which a text must hold for `pattern` to match; None when one would be empty.

    Python's regex engine pays ~30 µs per 2,000 characters to try a \\b-anchored alternation at every
    position, while `in` on a literal is a fast C scan, so each pattern runs only behind its triggers.
    """
    prefixes = tuple(_literal_prefix(a) for a in _alternatives(pattern))
    return None if not all(prefixes) else prefixes


_COMPILED = {cat: tuple((re.compile(p), _triggers(p), w) for p, w in patterns) for cat, patterns in _LEXICON.items()}


def category_scores(text: str) -> dict[str, float]:
    """Every category's score in [0, 1] for lower-cased, folded `text`."""
    scores: dict[str, float] = {}
    for cat, patterns in _COMPILED.items():
        total = sum(w for pattern, triggers, w in patterns
                    if (triggers is None or any(t in text for t in triggers)) and pattern.search(text))
        scores[cat.value] = round(1.0 - math.exp(-total), 4)
    return scores


def classify(text: str) -> dict[str, float]:
    """The categories `text` touches (score ≥ REPORT_AT), with their scores."""
    return {cat: s for cat, s in category_scores(text).items() if s >= REPORT_AT}
