"""One entry point for every list format, so the CLI and the store name a format, not a parser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clearance.errors import UsageError
from clearance.screening.csl import parse_csl_csv, parse_csl_json
from clearance.screening.dpl import parse_dpl
from clearance.screening.entries import ParsedList
from clearance.screening.ftm import parse_ftm
from clearance.screening.sdn import parse_sdn

FORMATS = ("sdn", "csl", "dpl", "ftm")


def _csl(path: Path) -> ParsedList:
    return parse_csl_json(path) if path.suffix.lower() == ".json" else parse_csl_csv(path)


_PARSERS: dict[str, Callable[[Path], ParsedList]] = {
    "sdn": lambda path: parse_sdn(path), "csl": _csl, "dpl": parse_dpl, "ftm": lambda path: parse_ftm(path),
}


def load_list(path: Path, list_format: str) -> ParsedList:
    """Parse `path` as `list_format` (sdn, csl — CSV or .json —, dpl, ftm)."""
    parser = _PARSERS.get(list_format.lower())
    if parser is None:
        raise UsageError(f"unknown list format {list_format!r}: use one of {', '.join(FORMATS)}")
    return parser(path)
