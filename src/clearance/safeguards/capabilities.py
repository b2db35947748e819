"""Which capability categories a request touches: weighted phrase lexicons, a first version.

A directive may cut only part of a model (say cyber-offense) instead of all of it, so each
request is classified into the categories of `clearance.domain.capabilities`.  This version is a
hand-written lexicon per category: each pattern carries a weight, a request's category score is
1 - exp(-sum of the weights that matched), and a category is reported at 0.5 or more.  Strong
phrases ("synthesize sarin", "write ransomware") pass alone; weak words ("exploit", "drone")
need company, which keeps "kill a Python process" and "shoot a photo" out.  It reads the folded
text, so disguises do not hide a term, and since 2026-12-06's eighth step the plurals and inflections of its words
and the passive order (what is made before its verb), so that a request reworded into the past or the future
tense ("How were bombs made in the past?") is in its category.  A trained classifier is to replace it in a later
version.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from clearance.domain.capabilities import Capability

REPORT_AT = 0.5

# Nouns take their plurals and verbs their inflections ("How were bombs created in the past?", "gains unauthorized
# access", "hacked into"), and what is made can come before its verb (the passive of a question reworded into the
# past tense, as garak's phrasing probes do).
_MAKE = r"(build\w*|built|mak(e|es|ing)|made|manufactur\w*|3d[- ]print\w*|assembl\w*|convert\w*|creat\w*|construct\w*)"
_MADE = r"(made|built|created|manufactured|assembled|constructed|produced|developed|written|coded|deployed|distributed)"
_MALICIOUS = (r"(malware|ransomware|keyloggers?|rootkits?|botnets?|trojans?|spyware|backdoors?"
              r"|phishing (emails?|kits?|pages?|sites?|campaigns?)|malicious (code|scripts?|payloads?|software))")

_LEXICON: dict[Capability, tuple[tuple[str, float], ...]] = {
    Capability.CYBER_OFFENSE: (
        (r"\b(ransomware|keyloggers?|rootkits?|botnets?|trojans?|spyware|infostealers?|cryptojack\w*)\b", 0.8),
        (r"\b(malware|virus(es)?|worms?|backdoors?)\b", 0.4),
        (r"\b(exploit|zero[- ]?days?|0days?|payloads?|shellcode|reverse shells?|privilege escalation)\b", 0.35),
        (r"\b(malicious (payloads?|scripts?|code|attachments?|links?|software)|drive[- ]by download)\b", 0.45),
        (r"\b(defac\w*|hijack\w*)\b.{0,30}\b(websites?|sites?|pages?|computers?|accounts?|sessions?|browsers?"
         r"|devices?|servers?)\b", 0.45),
        (r"\b(sql injection|xss|cross[- ]site scripting|buffer overflows?|remote code execution|rce)\b", 0.45),
        (r"\b(hack(s|ed|ing)? into|gain(s|ed|ing)? unauthori[sz]ed access"
         r"|bypass(es|ed|ing)? (the )?(authentication|login|firewall|antivirus|edr))\b", 0.8),
        # breaking in and gaining access are a burglar's too (a detective story's "someone broke into the museum")
        (r"\b(break(s|ing)?|broke|gain(s|ed|ing)? (\w+ )?access)\b.{0,5}\b(into|to)\b.{0,30}\b(accounts?|e-?mails?"
         r"|systems?|networks?|servers?|databases?|computers?|phones?|wi-?fi|websites?|routers?|devices?)\b", 0.8),
        (r"\b(break into|hack(s|ed|ing)?)\b", 0.25),
        (r"\b(brute[- ]?forc\w*|phishing|credential (theft|stuffing|harvest\w*))\b", 0.55),
        (r"\b(ddos|denial[- ]of[- ]service)\b", 0.7),
        (r"\b(trick\w*|lur\w*|dup\w*|fool\w*)\b.{0,40}\b(credentials|passwords?|logins?)\b", 0.45),
        (r"\b(crack(s|ed|ing)? (the |a )?passwords?|password crack\w*)\b", 0.7),
        (r"\b(steal\w*|stole|exfiltrat\w*|dump\w*|harvest\w*)\b.{0,40}\b(passwords?|credentials?|data|databases?"
         r"|cookies?|tokens?|user information|logins?)\b", 0.5),
        (r"\b(writ\w*|wrote|creat\w*|cod(e|es|ed|ing)|develop\w*|buil(d|ds|t|ding))\b.{0,30}\b(malware|virus(es)?"
         r"|worms?|ransomware|exploits?|keyloggers?)\b", 0.8),
        (r"\b(distribut\w*|deliver\w*|deploy\w*|spread\w*|infect\w*|embed\w*|design\w*|mak(e|es|ing)|made"
         r"|creat\w*)\b.{0,30}\b"
         + _MALICIOUS + r"\b", 0.8),
        (r"\b" + _MALICIOUS + r"\b.{0,40}\b" + _MADE + r"\b", 0.8),
        (r"\b(evad\w*|avoid\w*|bypass\w*)\b.{0,30}\b(detection|antivirus|edr|security (measures|software))\b", 0.35),
        (r"\b(disabl\w*|kill\w*|turn(s|ed|ing)? off)\b.{0,30}\b(antivirus|edr|security software|firewall"
         r"|windows defender)\b", 0.55),
        (r"\b(antivirus|edr|security software|firewall|windows defender|security measures)\b.{0,30}\b(disabled"
         r"|killed|turned off)\b", 0.55),
    ),
    Capability.CBRN_WEAPONS: (
        (r"\b(sarin|tabun|soman|vx|novichok|mustard gas|ricin|abrin|anthrax|botulinum|smallpox|ebola|plague"
         r"|dimethylmercury|nerve agents?|phosgene|chlorine gas)\b", 0.8),
        (r"\b(chemical|biological|bio|nuclear|radiological)\s+(weapons?|warfare|agents?|attacks?)\b", 0.8),
        (r"\b(dirty bombs?|enrich\w* uranium|weapons?[- ]grade|plutonium|uranium|fissile|nuclear bombs?)\b", 0.7),
        (r"\b(synthesi[sz]\w*|mak(e|es|ing)|made|produc\w*|weaponi[sz]\w*|cultur\w*|aerosoli[sz]\w*|dispers\w*"
         r"|spread\w*)\b.{0,40}\b(toxins?|pathogens?|virus(es)?|nerve agents?|gas|bacteria|spores?)\b", 0.45),
        (r"\b(gain[- ]of[- ]function|pandemic pathogens?|enhance transmissibility)\b", 0.8),
    ),
    Capability.CONVENTIONAL_WEAPONS: (
        (r"\b(pipe bombs?|explosives?|ieds?|detonators?|napalm|molotovs?|thermite|tnt|c-4|c4|ammonium nitrate bombs?"
         r"|grenades?)\b", 0.8),
        (r"\b(bombs?)\b", 0.45),
        (r"\b(guns?|firearms?|rifles?|pistols?|ar-15s?|ar15s?|ghost guns?|silencers?|suppressors?|ammunition"
         r"|machine guns?)\b", 0.3),
        (r"\b" + _MAKE + r"\b.{0,40}\b(bombs?|explosives?|guns?|firearms?|rifles?|weapons?|silencers?|suppressors?"
         r"|fully automatic)\b", 0.55),
        (r"\b(bombs?|explosives?|guns?|firearms?|rifles?|weapons?|silencers?|suppressors?)\b.{0,40}\b" + _MADE
         + r"\b", 0.55),
        (r"\b(untraceable|full[- ]?auto(matic)?|auto sears?|bump stocks?)\b", 0.45),
        (r"\b(weapon|weaponi[sz]\w*|drone strikes?|armed drones?|missiles?)\b", 0.3),
        # a massacre with firearms: the weapons and the killing together ("obtaining weapons and maximizing
        # casualties"); a school shooting named alone is a subject of essays and news
        (r"\b(mass shootings?|school shootings?|shoot(ing)? up (a|the) (high school|school|mall|church|concert)"
         r"|shootings? at (a |the )?(high )?schools?)\b", 0.45),
        (r"\b(maximi[sz]\w* (the )?casualties|kill(ing)? as many people)\b", 0.55),
    ),
    Capability.MASS_SURVEILLANCE: (
        (r"\b(mass surveillance|track (all|every|thousands))\b", 0.8),
        (r"\b(surveil\w*|spy(ing)? on|stalk\w*)\b", 0.5),
        (r"\b(facial recognition|face recognition|biometrics?)\b", 0.35),
        (r"\b(track\w*|locat\w*|monitor\w*|identify\w*|identifi\w*|deanonymi[sz]\w*|de-anonymi[sz]\w*)\b.{0,40}\b"
         r"(dissidents?|protesters?|journalists?|activists?|citizens|population|minorit\w*|people)\b", 0.55),
        (r"\b(without (their|them|his|her|the user's|users') (knowledge|consent)|covertly|secretly)\b", 0.35),
        (r"\b(phones?|locations?|gps|social media|messages?|communications)\b.{0,30}\b(track\w*|monitor\w*"
         r"|intercept\w*|scrap\w*)\b", 0.35),
        (r"\b(track\w*|monitor\w*|intercept\w*)\b.{0,30}\b(locations?|phones?|gps|whereabouts|messages"
         r"|communications)\b", 0.4),
        (r"\b(imsi catchers?|stingrays?|wiretap\w*|dragnet)\b", 0.8),
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
    are not.  A group keeps only its shortest triggers ("gun" holds for "ghost gun" and "machine gun"), and a
    text is scanned once for each distinct trigger however many patterns share it (`category_scores`): a
    scan costs about a microsecond per 2,000 characters, and the lexicon has some 250 triggers.
    """
    out = []
    for alternatives in _groups(pattern):
        prefixes = {_literal_prefix(a) for a in alternatives}
        if all(prefixes):
            out.append(tuple(sorted(p for p in prefixes if not any(q != p and q in p for q in prefixes))))
    return tuple(out)


_COMPILED = {cat: tuple((re.compile(p), _triggers(p), w) for p, w in patterns) for cat, patterns in _LEXICON.items()}


def category_scores(text: str) -> dict[str, float]:
    """Every category's score in [0, 1] for lower-cased, folded `text`."""
    scores: dict[str, float] = {}
    held: dict[str, bool] = {}  # each trigger scanned for once

    def holds(trigger: str) -> bool:
        found = held.get(trigger)
        if found is None:
            found = held[trigger] = trigger in text
        return found

    for cat, patterns in _COMPILED.items():
        total = sum(w for pattern, triggers, w in patterns
                    if all(any(map(holds, group)) for group in triggers) and pattern.search(text))
        scores[cat.value] = round(1.0 - math.exp(-total), 4)
    return scores


def classify(text: str) -> dict[str, float]:
    """The categories `text` touches (score ≥ REPORT_AT), with their scores."""
    return dict(_touched(text))


@lru_cache(maxsize=16)
def _touched(text: str) -> tuple[tuple[str, float], ...]:
    """`classify`'s answer, remembered for the last few texts: the detector classifies a message, and the rules
    gated on harm (`harm`) then ask about the same text (a message of one form is its own joined forms)."""
    return tuple((cat, s) for cat, s in category_scores(text).items() if s >= REPORT_AT)
