"""Reading the destination selectors of directives and licenses: "CN", "group:D:5", "UA-43", "all"."""

from __future__ import annotations

from clearance.domain.countries import is_country, is_region
from clearance.domain.groups import GROUP_PREFIX, CountryGroups

ALL = "all"


def normalize_destination(text: str, groups: CountryGroups | None, home_country: str | None) -> str:
    """The canonical spelling of one destination selector; ValueError names what is wrong."""
    raw = str(text).strip()
    if raw.lower().startswith(GROUP_PREFIX):
        name = raw[len(GROUP_PREFIX):].strip().upper()
        if groups is not None and name not in groups:
            raise ValueError(f'unknown country group "{name}" (known: {", ".join(groups.names)})')
        return GROUP_PREFIX + name
    code = raw.upper()
    if "-" in code:
        if not is_region(code):
            raise ValueError(f'unknown ISO 3166-2 region "{raw}"')
        return code
    if not is_country(code):
        hint = ' (a country group is written "group:D:5")' if ":" in code else ""
        raise ValueError(f'unknown country "{raw}"{hint}')
    if home_country is not None and code == home_country:
        raise ValueError(f"{code} is the home country, which is never a destination")
    return code


def expand_destination(selector: str, groups: CountryGroups) -> frozenset[str]:
    """The countries or regions a selector covers (a group becomes its members)."""
    if selector.startswith(GROUP_PREFIX):
        return groups.countries(selector[len(GROUP_PREFIX):])
    return frozenset({selector})
