"""The subjects CSV a compliance officer exports from HR or a spreadsheet (DESIGN.md, "Subjects import").

The header names the columns (in any order; only `id` is required).  A file is taken whole or not
at all: one wrong row could make a foreign person look like a U.S. person, so every bad row is
reported by its physical line and column, and no subject from a bad file is returned.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from clearance.documents.subject_row import COLUMNS, read_row
from clearance.domain.subjects import Subject
from clearance.errors import Problem, ValidationFailed


def load_subjects_csv(text: str, *, source: str, home_country: str) -> list[Subject]:
    """Every subject in `text`, or ValidationFailed naming line and column of each problem."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    problems: list[Problem] = []
    subjects: list[Subject] = []
    header: list[str] | None = None
    first_line: dict[str, int] = {}
    next_line = 1
    try:
        for cells in reader:
            start, next_line = next_line, reader.line_num + 1  # a quoted cell may span lines: its first
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = _header(cells, start, source)
                continue
            if len(cells) != len(header):
                problems.append(Problem(f"{len(cells)} values, but the header has {len(header)} columns",
                                        source, start))
                continue
            row = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
            ident = row["id"]
            if ident in first_line:
                problems.append(Problem(f'duplicate id "{ident}" (first on line {first_line[ident]})',
                                        source, start, "id"))
            elif ident:
                first_line[ident] = start
            result = read_row(row, line=start, source=source, home_country=home_country)
            if isinstance(result, Subject):
                subjects.append(result)
            else:
                problems.extend(result)
    except csv.Error as exc:
        problems.append(Problem(f"not readable as CSV: {exc}", source, reader.line_num))
    if header is None and not problems:
        problems.append(Problem(f"empty file: expected a header row ({','.join(COLUMNS)})", source))
    if problems:
        raise ValidationFailed(problems, subject=source)
    return subjects


def _header(cells: list[str], line: int, source: str) -> list[str]:
    """The column names; ValidationFailed at once when they are wrong, since no row can be read."""
    names = [cell.strip().lower() for cell in cells]
    problems: list[Problem] = []
    unknown = [f'"{name}"' for name in names if name and name not in COLUMNS]
    if unknown:
        problems.append(Problem(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                                f"(expected: {', '.join(COLUMNS)})", source, line))
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(Problem(f"column {position} has no name", source, line))
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(Problem(f"column{'s' if len(repeated) > 1 else ''} "
                                f"{', '.join(repeated)} appear{'' if len(repeated) > 1 else 's'} twice",
                                source, line))
    if "id" not in names:
        problems.append(Problem("no id column: every subject needs an id", source, line))
    if problems:
        raise ValidationFailed(problems, subject=source)
    return names


def subjects_to_csv(subjects: Iterable[Subject]) -> str:
    """The CSV `load_subjects_csv` reads back as the same subjects (for export and for tests)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; and so a lone \r in a cell is quoted
    writer.writerow(COLUMNS)
    for s in subjects:
        writer.writerow([
            s.id,
            s.name,
            s.organization or "",
            ";".join(str(c) for c in s.citizenships),
            str(s.permanent_residence) if s.permanent_residence else "",
            s.us_person.value if s.us_person else "",
            s.email or "",
        ])
    return out.getvalue()
