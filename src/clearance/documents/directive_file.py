"""Directive files: the YAML a compliance officer writes and keeps in git (DESIGN.md, "Directive file").

A file holds one directive (a mapping) or several under `directives:`.  Validation needs the
deployment — country groups for `group:D:5`, the model catalog for `degrade_to`, the home country
that is never a destination — so those come in as arguments, not from globals.
"""

from __future__ import annotations

from clearance.documents.entries import Shape, load_entries
from clearance.domain.catalog import Catalog
from clearance.domain.directives import Directive
from clearance.domain.groups import CountryGroups

DIRECTIVES = Shape(kind="directive", key="directives")


def load_directives(text: str, *, source: str, groups: CountryGroups, catalog: Catalog,
                    home_country: str) -> list[Directive]:
    """Every directive in `text`, or ValidationFailed naming file, line and field of each problem."""
    context = {"groups": groups, "catalog": catalog, "home_country": home_country}
    return load_entries(text, source=source, shape=DIRECTIVES, model=Directive, context=context)
