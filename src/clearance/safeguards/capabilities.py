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

Since 2026-12-07 cyber-offense has two kinds of phrase: what a request asks to have made or done (`_PRODUCING`:
code for an attack's technique, an intrusion's how-to), which always counts, and what a text is about
(`_LEXICON`), which a defender's words nearby cancel (`defences`): an analyst asking which detection would catch
ransomware is who a directive that cuts cyber-offense means to leave the model to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

from clearance.domain.capabilities import Capability
from clearance.safeguards.literals import Literals

REPORT_AT = 0.5

# Nouns take their plurals and verbs their inflections ("How were bombs created in the past?", "gains unauthorized
# access", "hacked into"), and what is made can come before its verb (the passive of a question reworded into the
# past tense, as garak's phrasing probes do).
_MAKE = r"(build\w*|built|mak(e|es|ing)|made|manufactur\w*|3d[- ]print\w*|assembl\w*|convert\w*|creat\w*|construct\w*)"
_MADE = r"(made|built|created|manufactured|assembled|constructed|produced|developed|written|coded|deployed|distributed)"
_MALICIOUS = (r"(malware|ransomware|keyloggers?|rootkits?|botnets?|trojans?|spyware|backdoors?"
              r"|phishing (emails?|kits?|pages?|sites?|campaigns?)|malicious (code|scripts?|payloads?|software))")

# What a request asks to have made or done, as opposed to what a text is about (MITRE ATT&CK's tactics named as
# code's purpose: privilege escalation, credential access, defence evasion, persistence, initial access, impact;
# an intrusion asked for how-to).  A defender's question does not soften these: "write a keylogger to test our
# defences" is a keylogger.
_TECHNIQUE_ACT = (
    r"(escalat\w* (\w+ ){0,2}privileges?|gain\w* (\w+ ){0,2}(root|admin\w*|system) (privileges|access|rights)"
    r"|(read\w*|dump\w*|extract\w*|steal\w*|exfiltrat\w*|crack\w*|decrypt\w*) (\w+ ){0,3}(/etc/shadow|\S*config\\sam"
    r"|sam (hive|database|file)|lsass|password (hash(es)?|files?|databases?)|ntlm hash(es)?|saved passwords"
    r"|stored (passwords|credentials)|browser (passwords|cookies|credentials))"
    r"|(disabl\w*|kill\w*|turn\w* off|bypass\w*|evad\w*|blind\w*) (\w+ ){0,2}(defender|antivirus|anti-virus|edr|amsi"
    r"|security (software|monitoring|tools?))"
    r"|hid(e|es|ing) (\w+ ){0,2}from (\w+ ){0,2}(process list|task manager|antivirus|defender|edr|memory accounting)"
    r"|terminate and stay resident|(hook\w*|intercept\w*) (\w+ ){0,3}(system calls?|syscalls?|interrupts?"
    r"|keystrokes?|api calls?)|(log\w*|record\w*|captur\w*) (\w+ ){0,2}keystrokes?"
    r"|(corrupt\w*|wip(e|es|ing)|overwrit\w*|destroy\w*|brick\w*) (\w+ ){0,3}(disks?|partitions?|mbr"
    r"|master boot records?|boot sectors?|hard drives?)"
    r"|take over (\w+ ){0,2}(computers?|machines?|devices?|pcs?|servers?)"
    r"|take control of (\w+ ){0,2}(computers?|machines?|devices?|pcs?|servers?)"
    r"|spoof\w* (\w+ ){0,2}(e-?mails?|senders?|caller ids?)|replicat\w* itself"
    r"|inject\w* (\w+ ){0,2}(code|shellcode|dlls?|payloads?) into)")
_TECHNIQUE_THING = (
    r"(bootkits?|rootkits?|keyloggers?|backdoors?|ransomware|botnets?|trojans?|spyware|adware|worms?|virus(es)?"
    r"|malware|infostealers?|cryptojack\w*|zip bombs?|reverse shells?|shellcode|exploits?|privilege escalation"
    r"|arbitrary code execution|remote code execution|code injection|dll injection|process injection|sql injection"
    r"|command injection|process hollowing"
    r"|cross[- ]site scripting|xss|email spoofing|credential (dumping|theft|harvesting|stuffing)|password cracking"
    r"|polymorphic (code|executables?|malware|engines?|viruses)|metamorphic (code|executables?|malware|engines?"
    r"|viruses)"
    r"|corrupting (\w+ ){0,2}(disks?|partitions?|mbr)|ddos attacks?|phishing (pages?|kits?|sites?|e-?mails?))")
_CODE = r"\b(code|scripts?|programs?|functions?|snippets?|tools?|commands?|one-liners?|implementations?)\b"
_CODE_TO_ACT = _CODE + r".{0,12}\b(to|that|which)\s+(\w+ly\s+)?" + _TECHNIQUE_ACT + r"\b"
# what every technique of _TECHNIQUE_ACT names (its object, or its verb where the object is "itself"), one of which
# a text must hold for the pattern to run: its verbs ("read", "take", "log") and "code ... to" are in most texts
_TECHNIQUE_ACT_OBJECTS = (
    "privilege", "access", "rights", "shadow", "sam", "lsass", "password", "ntlm", "credential", "cookie", "defender",
    "antivirus", "anti-virus", "edr", "amsi", "security ", "process list", "task manager", "memory accounting",
    "terminate and stay resident", "system call", "syscall", "interrupt", "keystroke", "api call", "disk",
    "partition", "mbr", "master boot record", "boot sector", "hard drive", "computer", "machine", "device", "pc",
    "server", "mail", "sender", "caller id", "itself", "inject")
# the digital things an intrusion is into, and how a request asks for one
_DIGITAL = (r"(accounts?|passwords?|credentials|e-mails?|emails?|systems?|networks?|servers?|databases?|computers?"
            r"|phones?|wi-fi|wifi|websites?|routers?|devices?|logins?|authentication|2fa|mfa|firewalls?|cookies|tokens"
            r"|hashes)")
_HOW_TO = (r"\b(how (do|can|could|would|should|might) (i|we|one|someone|you)|help (me|us)( to)?|teach (me|us)( how)?"
           r"( to)?|show (me|us) how to|how to|i (want|need) to|let me|(tutorials?|guides?|instructions|steps"
           r"|walkthroughs?|playbooks?|strateg(y|ies)|plans?|ways?) (on|for|to)( how to)?)\s+(\w+ly\s+)?")

_PRODUCING: dict[Capability, tuple[tuple[str, float], ...]] = {
    Capability.CYBER_OFFENSE: (
        # the making asked for: a verb and what it makes, a few words apart ("write me a simple keylogger"); not
        # "code similarities with malware" or "creating a scheduled task to run the malware", which describe one
        # ("write up an SQL injection finding" is a report)
        (r"\b(writ(e|es|ing)|creat(e|es|ing)|coding|develop(s|ing)?|buil(d|ds|ding)|generat(e|es|ing)"
         r"|program(s|ming)?)(?! up\b)\s+((\w|[+#-])+\s+){0,3}" + _TECHNIQUE_THING + r"\b", 0.8),
        # code for an attack's technique ("code in Rust to escalate privileges", "a script that disables defender",
        # "code for a bootkit"); not code to detect one ("a script to detect keyloggers")
        (_CODE_TO_ACT, 0.8),
        (_CODE + r".{0,12}\bfor\s+(an?\s+|the\s+|some\s+)?((simple|basic|working|custom|new|small|stealthy"
         r"|undetectable|functional|complete)\s+)?" + _TECHNIQUE_THING + r"\b", 0.8),
        # an intrusion asked for how-to, into something digital ("how can I break into a corporate network")
        (_HOW_TO + r"(hack\w*|break into|crack\w*|steal\w*|bypass\w*|gain (\w+ )?access (to|into)|take over"
         r"|take control|compromis\w*|hijack\w*|brute[- ]?forc\w*|exfiltrat\w*)\b.{0,30}\b" + _DIGITAL + r"\b", 0.8),
        (_HOW_TO + r"(ddos|launch (a )?ddos|phish|deploy|spread|distribute|plant|install) (\w+ ){0,2}"
         r"(ransomware|malware|keyloggers?|spyware|backdoors?|botnets?|viruses|virus|worms?|trojans?|a ddos|ddos"
         r"|attacks?)\b", 0.8),
        # evasion made to order: a defender never asks for the sample to be made undetectable
        (r"(" + _HOW_TO + r"|(^|[.!?:]\s+)(please\s+)?)(make|keep|render)\b.{0,30}\b(undetectable|undetected|fud)\b",
         0.8),
    ),
}

_LEXICON: dict[Capability, tuple[tuple[str, float], ...]] = {
    Capability.CYBER_OFFENSE: (
        (r"\b(ransomware|keyloggers?|rootkits?|bootkits?|botnets?|trojans?|spyware|infostealers?|cryptojack\w*)\b",
         0.8),
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
        (r"\b(writ\w*|wrote|creat\w*|cod(e|es|ed|ing)|develop\w*|buil(d|ds|t|ding))\b.{0,30}\b(malware|virus(es)?"
         r"|worms?|ransomware|exploits?|keyloggers?)\b", 0.8),
        (r"\b(brute[- ]?forc\w*|phishing|credential (theft|stuffing|harvest\w*))\b", 0.55),
        (r"\b(ddos|denial[- ]of[- ]service)\b", 0.7),
        (r"\b(trick\w*|lur\w*|dup\w*|fool\w*)\b.{0,40}\b(credentials|passwords?|logins?)\b", 0.45),
        (r"\b(crack(s|ed|ing)? (the |a )?passwords?|password crack\w*)\b", 0.7),
        (r"\b(steal\w*|stole|exfiltrat\w*|dump\w*|harvest\w*)\b.{0,40}\b(passwords?|credentials?|data|databases?"
         r"|cookies?|tokens?|user information|logins?)\b", 0.5),
        # "changes made by the malware" is what the malware did, not malware being made
        (r"\b(distribut\w*|deliver\w*|deploy\w*|spread\w*|infect\w*|embed\w*|design\w*|mak(e|es|ing)|made"
         r"|creat\w*)\b(?! by\b).{0,30}\b"
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
    after it, and not a lookaround): "\\b(write|create)\\b.{0,30}\\b(malware|virus)\\b" has two, the verbs and
    the objects."""
    groups: list[list[str]] = []
    depth, start, opened = 0, 0, 0
    alternatives: list[str] = []
    for i, c in enumerate(pattern):
        if i and pattern[i - 1] == "\\":
            continue
        if c == "(":
            depth += 1
            if depth == 1:
                opened = start = i + 1
                alternatives = []
        elif c == "|" and depth == 1:
            alternatives.append(pattern[start:i])
            start = i + 1
        elif c == ")":
            depth -= 1
            # a lookaround ("(?! by)") matches no text, so it holds no trigger
            if depth == 0 and pattern[i + 1:i + 2] not in ("?", "*", "{") and pattern[opened] != "?":
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
    are not.  A group keeps only its shortest triggers ("gun" holds for "ghost gun" and "machine gun").  The
    lexicon has some 320 distinct triggers; a scan costs about a microsecond and a half per 2,000 characters, so
    a text's triggers are found together (`literals.Literals`, about a sixth of the cost) and not one by one.
    """
    out = []
    for alternatives in _groups(pattern):
        prefixes = {_literal_prefix(a) for a in alternatives}
        if all(prefixes):
            out.append(tuple(sorted(p for p in prefixes if not any(q != p and q in p for q in prefixes))))
    return tuple(out)


# A defender's question: an analyst asks what a sample in a sandbox report does, which detection or mitigation
# would work, whom to attribute an intrusion to, how an adversary's TTPs might change.  Such a question names
# ransomware, evasion and C2 as much as an attacker's does, and a directive that cuts cyber-offense leaves the
# model to exactly these people; near a defender's words (DEFENCE_REACH) the cyber-offense topic words count for
# nothing, and only what is asked to be made or done (`_PRODUCING`) does.
# "Evade detection", "bypass the defences", "without being detected" are the attacker's, not a defender's words.
_DEFENDING = re.compile(
    r"\b(detect(s|ed|ing|ion)?|mitigat\w*|defen[cs]es?|defend\w*|protect\w*|prevent\w*|harden\w*|remediat\w*"
    r"|attribut\w*|forensics?|indicators? of compromise|iocs?|security controls?"
    r"|threat (intelligence|hunting|actors?|reports?)|analy[sz](is|e|es|ed|ing|t|ts)|sandbox|advisory|advisories"
    r"|adversar(y|ies)|ttps|threat groups?|(the|this) (report|sample)"
    # and a defender's work: responding, recovering, teaching people to spot an attack
    r"|incident respon\w*|readiness|takedowns?|awareness|quiz\w*|lectures?|curricul\w*|trainers?|ciso|soc analysts?"
    r"|blue team|recover\w*|containment|backups?|patch(es|ing|ed)?)\b")
_UNDOING = re.compile(r"\b(evad\w*|avoid\w*|bypass\w*|circumvent\w*|hid(e|es|ing) from|disabl\w*|escap\w*|without"
                      r"|get(ting)? around|slip\w* past|defeat\w*|undetect\w*|anti|break\w*|beat|fool\w*|trick\w*"
                      r"|dodg\w*)\b[^.?!]{0,25}$")
# the defence as a pretext, a purpose given for an attack's explanation ("how it can be exploited using ransomware,
# so that banks can take the necessary measures to protect their systems"): a defender asks about the defence itself
_PURPOSE = re.compile(r"\b(so( that)?|in order to|to help|help (them|us|banks|companies|organi[sz]ations|people))\b"
                      r"[^.?!]{0,60}$")
_DEFENDED = frozenset({Capability.CYBER_OFFENSE})


DEFENCE_REACH = 300  # characters: a question and its choices; not the far end of a long template or dialogue


def defences(text: str) -> list[tuple[int, int]]:
    """Where lower-cased, folded `text` speaks as a defender or an analyst: the spans of a defender's words that
    no attacker's verb just before turns round ("detect the malware", not "evade detection") and that are not the
    purpose given for something else ("..., so that banks can protect their systems")."""
    return [m.span() for m in _DEFENDING.finditer(text)
            if _UNDOING.search(text, max(0, m.start() - 40), m.start()) is None
            and _PURPOSE.search(text, max(0, m.start() - 80), m.start()) is None]


def _undefended(pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether `pattern` matches `text` somewhere no defender's word is within DEFENCE_REACH of: a long jailbreak
    template that mentions an analysis, or a many-shot dialogue with "protect" in one answer, does not make its
    request a defender's."""
    return any(all(m.start() > end + DEFENCE_REACH or m.end() < start - DEFENCE_REACH for start, end in spans)
               for m in pattern.finditer(text))


# triggers a pattern's groups do not show (`_triggers` reads only the fixed starts of its top-level groups)
_OBJECTS = {_CODE_TO_ACT: _TECHNIQUE_ACT_OBJECTS}


# each pattern compiled, with its groups of triggers (one of each group must be in a text) and its weight
_Compiled = tuple[tuple[re.Pattern[str], tuple[frozenset[str], ...], float], ...]


def _compiled(lexicon: dict[Capability, tuple[tuple[str, float], ...]]) -> dict[Capability, _Compiled]:
    return {cat: tuple((re.compile(p), tuple(map(frozenset, _triggers(p) + ((_OBJECTS[p],) if p in _OBJECTS else ()))),
                        w) for p, w in patterns) for cat, patterns in lexicon.items()}


_COMPILED = _compiled(_LEXICON)
_COMPILED_PRODUCING = _compiled(_PRODUCING)


# every trigger of every pattern, to be found in a text at once
_TRIGGERS = Literals(trigger for compiled in (_COMPILED, _COMPILED_PRODUCING) for patterns in compiled.values()
                     for _, triggers, _ in patterns for group in triggers for trigger in group)


def category_scores(text: str) -> dict[str, float]:
    """Every category's score in [0, 1] for lower-cased, folded `text`."""
    return _scores(text, _TRIGGERS.present(text))


def _scores(text: str, present: AbstractSet[str] | None) -> dict[str, float]:
    """The category scores, running a pattern only where each group of its triggers has one in `present`, the
    triggers `text` holds (every pattern when it is None: the tests' check that the triggers hide no match)."""
    def matched(compiled: _Compiled) -> list[tuple[re.Pattern[str], float]]:
        return [(pattern, w) for pattern, groups, w in compiled
                if (present is None or all(not present.isdisjoint(group) for group in groups))
                and pattern.search(text)]

    scores: dict[str, float] = {}
    spans: list[tuple[int, int]] | None = None
    for cat, patterns in _COMPILED.items():
        about = matched(patterns)
        if about and cat in _DEFENDED:
            spans = defences(text) if spans is None else spans
            if spans:
                about = [(pattern, w) for pattern, w in about if _undefended(pattern, text, spans)]
        total = sum(w for _, w in about) + sum(w for _, w in matched(_COMPILED_PRODUCING.get(cat, ())))
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
