"""The errors Clearance raises, each with the exit status a script can rely on.

    ClearanceError              exit 70: a fault of ours; never expected
    ├── UsageError              exit 64: the command was called wrongly
    ├── DataError               exit 65: an input file or value is wrong (file, line, field)
    │   └── ValidationFailed    exit 65: several DataErrors found in one input, reported together
    ├── NotFound                exit 66: a subject, directive, license or file that does not exist
    ├── Conflict                exit 65: a duplicate id or a change that contradicts what is stored
    ├── StoreUnavailable        exit 69: the database cannot be reached or is not initialised
    └── ConfigError             exit 78: clearance.toml or the environment is wrong

Messages are written for a compliance officer, not a programmer: they say what is wrong, where,
and what would be right.  Like click's exceptions, each carries its exit code so the CLI maps all
of them in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class ClearanceError(Exception):
    exit_code = 70

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(ClearanceError):
    exit_code = 64


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    message: str
    source: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        what = f"{self.field}: " if self.field else ""
        return f"{where}{what}{self.message}"


class DataError(ClearanceError):
    exit_code = 65

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.problem = Problem(message, source, line, field)
        super().__init__(str(self.problem))


class ValidationFailed(DataError):
    """Every problem found in one input; the input is rejected whole."""

    def __init__(self, problems: Iterable[Problem], *, subject: str = "input") -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        count = len(self.problems)
        head = f"{subject} rejected: {count} problem{'s' if count != 1 else ''}"
        ClearanceError.__init__(self, "\n".join([head, *(f"  {p}" for p in self.problems)]))
        self.problem = self.problems[0] if self.problems else Problem(head)


class NotFound(ClearanceError):
    exit_code = 66


class Conflict(ClearanceError):
    exit_code = 65


class StoreUnavailable(ClearanceError):
    exit_code = 69


class ConfigError(ClearanceError):
    exit_code = 78
