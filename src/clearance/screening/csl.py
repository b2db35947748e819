"""The trade.gov Consolidated Screening List: the CSV (both header generations) and the JSON.

The CSV's header changed over the years (2019: 28 columns; 2025: `_id` first, 29 columns); columns
are found by name, so either reads.  Within the CSL each row comes from one source list (SDN, DPL,
Entity List...), kept as the entry's list name ("CSL SDN") because a compliance officer acts on the
source list, not on the consolidation.  The JSON is either trade.gov's own (``{"results": [...]}``)
or the compacted copy in ``screening-list.json`` (short keys, lookup tables).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from clearance.errors import DataError, Problem
from clearance.screening.countries import country_code
from clearance.screening.entries import ListEntry, ListInfo, ParsedList, entity_type_of
from clearance.screening.listfile import read_list_text, version_of

_CODE = re.compile(r"\(([A-Z][A-Z-]*[A-Z])(?: List)?\)")


def _list_code(source: str) -> str:
    found = _CODE.search(source)
    return found[1] if found else source.strip()


def _split(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(p.strip() for p in str(value or "").split(";") if p.strip())


def _entry(record: dict[str, Any], fallback_id: str, source: str, countries: tuple[str, ...]) -> ListEntry:
    origin = str(record.get("source") or "")
    code = _list_code(origin)
    own = record.get("_id") or record.get("id")
    entry_id = str(own) if own else f"{code}:{record.get('entity_number') or fallback_id}"
    codes = [country_code(c) for c in (*_split(record.get("citizenships")), *_split(record.get("nationalities")))]
    return ListEntry(
        entry_id=f"csl:{entry_id}", list_name=f"CSL {code}".strip(), name=str(record["name"]).strip(),
        aliases=_split(record.get("alt_names")), entity_type=entity_type_of(str(record.get("type") or "")),
        countries=tuple(dict.fromkeys(c for c in (*codes, *countries) if c)),
        birth_dates=_split(record.get("dates_of_birth")), programs=_split(record.get("programs")), source=source)


def _address_countries(addresses: Any) -> tuple[str, ...]:
    found: list[str] = []
    for address in _split(addresses):
        if isinstance(address, str) and (code := country_code(address.rsplit(",", 1)[-1])):
            found.append(code)
    return tuple(found)


def parse_csl_csv(path: Path) -> ParsedList:
    """Entries of a CSL CSV; a row with the wrong number of fields or no name is reported by line."""
    source = str(path)
    reader = csv.reader(io.StringIO(read_list_text(path), newline=""))
    header = next(reader, None)
    if header is None or not {"source", "name"} <= set(header):
        raise DataError("not a Consolidated Screening List CSV: the header needs 'source' and 'name'",
                        source=source, line=1)
    entries: list[ListEntry] = []
    problems: list[Problem] = []
    line = 2
    for row in reader:
        if len(row) != len(header):
            problems.append(Problem(f"expected {len(header)} fields, found {len(row)}", source, line))
        else:
            record = dict(zip(header, row, strict=True))
            if not record["name"].strip():
                problems.append(Problem("the name is empty", source, line, "name"))
            else:
                entries.append(_entry(record, f"line-{line}", source, _address_countries(record.get("addresses"))))
        line = reader.line_num + 1
    return ParsedList(ListInfo("CSL", source, version_of(path)), tuple(entries), tuple(problems))


def parse_csl_json(path: Path) -> ParsedList:
    """Entries of trade.gov's consolidated.json or of its compacted copy; bad records reported by index."""
    source = str(path)
    try:
        doc = json.loads(read_list_text(path) or "null")
    except json.JSONDecodeError as exc:
        raise DataError(f"not JSON: {exc.msg}", source=source, line=exc.lineno) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("results", doc.get("entries")), list):
        raise DataError("not a Consolidated Screening List JSON: no 'results' or 'entries' list", source=source)
    carried = None
    if isinstance(doc.get("sourceGeneratedAt"), str):
        try:
            carried = datetime.fromisoformat(doc["sourceGeneratedAt"]).date()
        except ValueError:
            carried = None
    entries, problems = (_compacted(doc, source) if "entries" in doc else _results(doc["results"], source))
    return ParsedList(ListInfo("CSL", source, version_of(path, carried)), tuple(entries), tuple(problems))


def _results(records: list[Any], source: str) -> tuple[list[ListEntry], list[Problem]]:
    entries, problems = [], []
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not str(record.get("name") or "").strip():
            problems.append(Problem(f"record {index} has no name", source, None, f"results[{index}]"))
            continue
        addresses = record.get("addresses") or []
        codes = tuple(c for a in addresses if isinstance(a, dict) and (c := country_code(str(a.get("country") or ""))))
        entries.append(_entry(record, f"record-{index}", source, codes))
    return entries, problems


def _compacted(doc: dict[str, Any], source: str) -> tuple[list[ListEntry], list[Problem]]:
    tables = doc.get("tables") or {}
    sources, programmes = tables.get("sources") or [], tables.get("programmes") or []
    entries, problems = [], []
    for index, record in enumerate(doc["entries"]):
        where = f"entries[{index}]"
        try:
            if not isinstance(record, dict) or not str(record.get("n") or "").strip():
                raise ValueError("has no name")
            origin = sources[record["s"]] if "s" in record else ""
            programs = programmes[record["pg"]] if "pg" in record else ""
        except (IndexError, TypeError, ValueError, KeyError) as exc:
            problems.append(Problem(f"record {index} {exc if isinstance(exc, ValueError) else 'has a bad index'}",
                                    source, None, where))
            continue
        expanded = {"name": record["n"], "alt_names": record.get("a") or [], "source": origin,
                    "type": record.get("t") or "", "entity_number": record.get("e") or "", "programs": programs}
        entries.append(_entry(expanded, f"record-{index}", source, _split(record.get("c"))))
    return entries, problems

