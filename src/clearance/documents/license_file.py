"""License files: the authorisations a compliance officer grants (DESIGN.md, "License").

One license (a mapping) or several under `licenses:`.  Destinations may name country groups, so
the deployment's groups come in as an argument.
"""

from __future__ import annotations

from clearance.documents.entries import Shape, load_entries
from clearance.domain.groups import CountryGroups
from clearance.domain.licenses import License

LICENSES = Shape(kind="license", key="licenses")


def load_licenses(text: str, *, source: str, groups: CountryGroups) -> list[License]:
    """Every license in `text`, or ValidationFailed naming file, line and field of each problem."""
    return load_entries(text, source=source, shape=LICENSES, model=License, context={"groups": groups})
