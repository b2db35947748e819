"""One row of a subjects CSV, checked field by field and against itself.

Every decision starts from who the caller is, so a row that contradicts itself (a "citizen" whose
citizenships do not include the home country) is rejected rather than guessed at: a wrong guess
would silently turn a foreign person into a U.S. person, or the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from clearance.domain.subjects import Nationality, Subject, UsPersonStatus, parse_nationality
from clearance.errors import Problem

COLUMNS = ("id", "name", "organization", "citizenships", "permanent_residence", "us_person", "email")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_US_PERSON_HELP = "one of: citizen, lpr, protected; empty for anyone else or when not known"

Report = Callable[[str, str], None]  # (field, message)


def read_row(cells: Mapping[str, str], *, line: int, source: str, home_country: str) -> Subject | list[Problem]:
    """The Subject a row describes, or every problem with it (cells are already stripped)."""
    problems: list[Problem] = []

    def report(field: str, message: str) -> None:
        problems.append(Problem(message, source, line, field))

    ident = cells.get("id", "")
    if not ident:
        report("id", "empty: every subject needs an id")
    checked = len(problems)
    citizenships = _citizenships(cells.get("citizenships", ""), report)
    residence = _residence(cells.get("permanent_residence", ""), report)
    us_person = _us_person(cells.get("us_person", ""), report)
    if len(problems) == checked:  # contradictions only between values that are each well formed
        _check_consistent(us_person, citizenships, residence, home_country, report)
    email = cells.get("email", "")
    if email and not _EMAIL.fullmatch(email):
        report("email", f'"{email}" is not an email address')
    if problems:
        return problems
    return Subject(
        id=ident,
        name=cells.get("name", ""),
        organization=cells.get("organization") or None,
        citizenships=citizenships,
        permanent_residence=residence,
        us_person=us_person,
        email=email or None,
    )


def _citizenships(text: str, report: Report) -> tuple[Nationality, ...]:
    """`IN@2001-05-01;CA@2019-02-11`, in the order written; a wrong part is reported and left out."""
    out: list[Nationality] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        try:
            nationality = parse_nationality(part)
        except ValueError as exc:
            report("citizenships", str(exc))
            continue
        if any(n.country == nationality.country for n in out):
            report("citizenships", f"{nationality.country} is listed twice")
        out.append(nationality)
    return tuple(out)


def _residence(text: str, report: Report) -> Nationality | None:
    """One country, with an optional date; None when empty or reported wrong."""
    if not text:
        return None
    if ";" in text:
        report("permanent_residence", f'"{text}": a person has one permanent residence, not a list')
        return None
    try:
        return parse_nationality(text)
    except ValueError as exc:
        report("permanent_residence", str(exc))
        return None


def _us_person(text: str, report: Report) -> UsPersonStatus | None:
    """The U.S.-person basis; None when empty or reported unknown."""
    if not text:
        return None
    try:
        return UsPersonStatus(text.lower())
    except ValueError:
        report("us_person", f'unknown value "{text}" ({_US_PERSON_HELP})')
        return None


def _check_consistent(us_person: UsPersonStatus | None, citizenships: tuple[Nationality, ...],
                      residence: Nationality | None, home: str, report: Report) -> None:
    """A row must not say two things about the same person that cannot both be true."""
    countries = [n.country for n in citizenships]
    if us_person is UsPersonStatus.CITIZEN and countries and home not in countries:
        report("us_person", f"citizen, but the citizenships on file ({', '.join(countries)}) do not "
                            f"include {home}")
    if us_person in (UsPersonStatus.LPR, UsPersonStatus.PROTECTED) and home in countries:
        report("us_person", f"{us_person}, but {home} citizenship is on file: write citizen")
    if us_person is UsPersonStatus.LPR and residence is not None and residence.country != home:
        report("us_person", f"lpr, but permanent_residence is {residence.country}: a lawful permanent "
                            f"resident resides in {home}")
