"""Country names as the US lists spell them, turned into ISO 3166-1 alpha-2 codes.

OFAC and BIS write "Korea, North", "Burma", "Russia"; pycountry knows the ISO names, so the few
list spellings it does not know are kept here.  A name that is no country ("Region: Gaza",
"Undetermined") gives None, and the entry simply has no country from it.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

_LIST_SPELLINGS = {
    "russia": "RU", "korea, north": "KP", "north korea": "KP", "korea, south": "KR", "south korea": "KR",
    "burma": "MM", "turkey": "TR", "congo, democratic republic of the": "CD",
    "congo, republic of the": "CG", "cote d ivoire": "CI", "cote d'ivoire": "CI", "kosovo": "XK",
    "west bank": "PS", "gaza": "PS", "palestinian": "PS", "iran": "IR", "syria": "SY", "laos": "LA",
    "vietnam": "VN", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "macau": "MO", "the bahamas": "BS", "bahamas, the": "BS", "gambia, the": "GM", "czech republic": "CZ",
    "macedonia": "MK", "brunei": "BN", "cape verde": "CV", "swaziland": "SZ", "micronesia": "FM",
    "netherlands antilles": "AN", "united states": "US", "usa": "US", "uk": "GB",
}


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """The ISO alpha-2 code for a country name or code, or None when it names no country."""
    text = name.strip()
    if not text or text == "-0-":
        return None
    known = _LIST_SPELLINGS.get(text.lower())
    if known:
        return known
    if len(text) == 2 and text.isalpha():
        found = pycountry.countries.get(alpha_2=text.upper())
        return found.alpha_2 if found else None
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None
