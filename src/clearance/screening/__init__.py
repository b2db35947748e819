"""Restricted-party screening: list files read into entries, names matched across spellings and scripts.

    load_list(path, format) -> ParsedList        # format: sdn | csl | dpl | ftm
    Screener.build(entries).screen(name, country=, birth_date=, entity_type=, threshold=, limit=)
        -> list[Match]                            # best first, each explaining itself

Layer 3: no store, no I/O beyond reading the list files it is given.
"""

from clearance.screening.entries import EntityType, ListEntry, ListInfo, ParsedList
from clearance.screening.formats import FORMATS, load_list
from clearance.screening.matcher import DEFAULT_THRESHOLD, Match, Screener

__all__ = ["DEFAULT_THRESHOLD", "FORMATS", "EntityType", "ListEntry", "ListInfo", "Match", "ParsedList",
           "Screener", "load_list"]
