"""OFAC's legacy CSV files: ``sdn.csv`` (or ``cons_prim.csv``) with ``alt.csv`` and ``add.csv`` beside it.

The files have no header, write ``-0-`` for an empty field, end lines with CRLF and the file with
0x1A.  Aliases (alt) and addresses (add) are joined to the entry by its entity number; an alias or
address for a number that is not in the main file is reported, not dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from clearance.errors import Problem
from clearance.screening.countries import country_code
from clearance.screening.entries import EntityType, ListEntry, ListInfo, ParsedList, entity_type_of
from clearance.screening.listfile import read_list_text, version_of

_MAIN_FIELDS = 12
_DOB = re.compile(r"\bDOB (?:circa |c\. )?([^;.]+)")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def _value(text: str) -> str:
    text = text.strip()
    return "" if text == "-0-" else text


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield line, row
        line = reader.line_num + 1


def birth_dates(remarks: str) -> tuple[str, ...]:
    """ISO dates (or their year / year-month prefix) from remarks such as "DOB 05 Dec 1978; alt. DOB 1962"."""
    found: list[str] = []
    for raw in _DOB.findall(remarks):
        for part in re.split(r"\s+to\s+|\s*-\s*", raw.strip()):
            words = part.split()
            try:
                if len(words) == 3:
                    found.append(f"{int(words[2]):04d}-{_MONTHS[words[1][:3].lower()]:02d}-{int(words[0]):02d}")
                elif len(words) == 2:
                    found.append(f"{int(words[1]):04d}-{_MONTHS[words[0][:3].lower()]:02d}")
                elif len(words) == 1:
                    found.append(f"{int(words[0]):04d}")
            except (KeyError, ValueError):
                continue
    return tuple(dict.fromkeys(found))


def _beside(path: Path, kind: str) -> Path:
    stem = path.stem.replace("prim", kind) if "prim" in path.stem else path.stem.replace("sdn", kind)
    return path.with_name(stem + path.suffix) if stem != path.stem else path.with_name(f"{kind}{path.suffix}")


def parse_sdn(path: Path, *, list_name: str | None = None) -> ParsedList:
    """Entries of an OFAC legacy CSV, with aliases and countries joined from the files beside it."""
    source = str(path)
    consolidated = "cons" in path.stem
    name = list_name or ("OFAC Consolidated (non-SDN)" if consolidated else "OFAC SDN")
    prefix = "ofac-cons" if consolidated else "ofac-sdn"
    problems: list[Problem] = []
    mains: dict[str, tuple[list[str], int]] = {}
    for line, row in _rows(read_list_text(path)):
        if len(row) != _MAIN_FIELDS:
            problems.append(Problem(f"expected {_MAIN_FIELDS} fields, found {len(row)}", source, line))
        elif not row[0].strip().isdigit():
            problems.append(Problem(f"entity number {row[0]!r} is not a number", source, line, "ent_num"))
        elif not _value(row[1]):
            problems.append(Problem("the name is empty", source, line, "SDN_Name"))
        elif row[0].strip() in mains:
            problems.append(Problem(f"entity number {row[0].strip()} appears twice", source, line, "ent_num"))
        else:
            mains[row[0].strip()] = (row, line)
    aliases: dict[str, list[str]] = defaultdict(list)
    countries: dict[str, list[str]] = defaultdict(list)
    alt, add = _beside(path, "alt"), _beside(path, "add")
    if alt.is_file():
        for line, row in _rows(read_list_text(alt)):
            if len(row) != 5 or not _value(row[3]):
                problems.append(Problem("expected 5 fields with an alias name", str(alt), line))
            elif row[0].strip() not in mains:
                problems.append(Problem(f"alias for unknown entity {row[0].strip()}", str(alt), line, "ent_num"))
            else:
                aliases[row[0].strip()].append(_value(row[3]))
    if add.is_file():
        for line, row in _rows(read_list_text(add)):
            if len(row) != 6:
                problems.append(Problem(f"expected 6 fields, found {len(row)}", str(add), line))
            elif row[0].strip() not in mains:
                problems.append(Problem(f"address for unknown entity {row[0].strip()}", str(add), line, "ent_num"))
            elif code := country_code(_value(row[4])):
                countries[row[0].strip()].append(code)
    entries = []
    for number, (row, _line) in mains.items():
        kind = _value(row[2])
        programs = tuple(p.strip() for p in _value(row[3]).strip("[]").split("] [") if p.strip())
        entries.append(ListEntry(
            entry_id=f"{prefix}:{number}", list_name=name, name=_value(row[1]),
            aliases=tuple(aliases.get(number, ())),
            entity_type=entity_type_of(kind) if kind else EntityType.ORGANIZATION,
            countries=tuple(dict.fromkeys(countries.get(number, ()))),
            birth_dates=birth_dates(_value(row[11])), programs=programs, source=source))
    return ParsedList(ListInfo(name, source, version_of(path)), tuple(entries), tuple(problems))
