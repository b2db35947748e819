"""ISO 3166-1 countries and ISO 3166-2 regions, as directives and licenses name them.

A *place* is either a country ("UA") or a region within one ("UA-43", Crimea).  A region is always
inside its country: a rule that names the country also reaches the region, never the reverse.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pycountry

# User-assigned codes in common use by export-control lists though not in ISO 3166-1.
_USER_ASSIGNED = {"XK": "Kosovo"}


@functools.cache
def _countries() -> dict[str, str]:
    names = {c.alpha_2: c.name for c in pycountry.countries}
    names.update(_USER_ASSIGNED)
    return names


@functools.cache
def _regions() -> dict[str, str]:
    return {s.code: s.name for s in pycountry.subdivisions}


def is_country(code: str) -> bool:
    return code in _countries()


def is_region(code: str) -> bool:
    return code in _regions()


def country_name(code: str) -> str:
    return _countries().get(code) or _regions().get(code) or code


def all_countries() -> frozenset[str]:
    return frozenset(_countries())


@dataclass(frozen=True, order=True)
class Place:
    """Where a request comes from or goes to: a country, optionally narrowed to a region."""

    country: str
    region: str | None = None

    @property
    def code(self) -> str:
        return self.region or self.country

    def __str__(self) -> str:
        return self.code

    @classmethod
    def parse(cls, text: str) -> Place:
        """Read "CN", "ua", "UA-43" or "ua-43"; raise ValueError naming what is wrong."""
        code = text.strip().upper()
        if "-" in code:
            if not is_region(code):
                raise ValueError(f'unknown ISO 3166-2 region "{text.strip()}"')
            return cls(code.split("-", 1)[0], code)
        if not is_country(code):
            raise ValueError(f'unknown ISO 3166-1 country "{text.strip()}"')
        return cls(code)


def parse_country(text: str) -> str:
    """Read an ISO 3166-1 alpha-2 code (any case); raise ValueError otherwise."""
    code = text.strip().upper()
    if not is_country(code):
        raise ValueError(f'unknown ISO 3166-1 country "{text.strip()}"')
    return code
