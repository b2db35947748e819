"""BIS's Denied Persons List as published: tab-separated, quoted, with a header row.

The DPL names people and firms alike without saying which, so every entry's type is unknown; the
entry id is the file's line number, the only stable key the list offers for one edition.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from clearance.errors import DataError, Problem
from clearance.screening.countries import country_code
from clearance.screening.entries import ListEntry, ListInfo, ParsedList
from clearance.screening.listfile import read_list_text, version_of

LIST_NAME = "BIS DPL"


def parse_dpl(path: Path) -> ParsedList:
    """Entries of a DPL file; rows with the wrong number of fields or no name are reported by line."""
    source = str(path)
    reader = csv.reader(io.StringIO(read_list_text(path), newline=""), delimiter="\t")
    header = next(reader, None)
    if header is None or "Name" not in header:
        raise DataError("not a Denied Persons List: the header needs a 'Name' column", source=source, line=1)
    entries: list[ListEntry] = []
    problems: list[Problem] = []
    line = 2
    for row in reader:
        if not any(cell.strip() for cell in row):
            pass
        elif len(row) != len(header):
            problems.append(Problem(f"expected {len(header)} fields, found {len(row)}", source, line))
        else:
            record = dict(zip(header, row, strict=True))
            name = record["Name"].strip()
            if not name:
                problems.append(Problem("the name is empty", source, line, "Name"))
            else:
                code = country_code(record.get("Country", ""))
                entries.append(ListEntry(
                    entry_id=f"dpl:{line}", list_name=LIST_NAME, name=name,
                    countries=(code,) if code else (), programs=("EAR Part 764",), source=source))
        line = reader.line_num + 1
    return ParsedList(ListInfo(LIST_NAME, source, version_of(path)), tuple(entries), tuple(problems))
