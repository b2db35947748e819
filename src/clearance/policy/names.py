"""How domain values are named in Cedar: entity types, ids and string literals.

One entity type per kind keeps every `in [...]` set homogeneous, which Cedar's strict validator
requires: countries, regions and groups are all `Place` ("CN", "UA-43", "group:D:5"), and models,
families and tiers are all `Model` ("fable-5", "family:fable", "tier:frontier").

The resource of a request is a `Target`, a model at a destination ("fable-5|CN"), in both its
Model and its Place.  Everything fixed about the request lives there, in the entity graph parsed
once per snapshot, so the per-request context — which Cedar parses on every call, and which is
most of a call's cost — holds only the few facts about the caller.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

NAMESPACE = "Clearance"
PLACE = f"{NAMESPACE}::Place"
MODEL = f"{NAMESPACE}::Model"
SUBJECT = f"{NAMESPACE}::Subject"
LICENSE = f"{NAMESPACE}::License"
TARGET = f"{NAMESPACE}::Target"  # a model at a destination: the resource of every request
ACTION = f"{NAMESPACE}::Action"

INVOKE = "invoke"  # the decision itself: licenses lift directives
ASSESS = "assess"  # the same without licenses, to explain what a license lifted

CATALOG = "catalog"  # the Model every servable model is in
WORLD_PLACE = "world"  # every country is in it: the zone of `destinations: all`
DOMESTIC_PLACE = "domestic"  # the destination of a purely domestic access
# The destinations that are no country: each its own Place, in no group.
SPECIAL_PLACES = (DOMESTIC_PLACE, "unknown-location", "unknown-citizenship")
ANY_PLACE = "*"  # coverage key of licenses that name no destination

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def cedar_string(text: str) -> str:
    """A Cedar string literal (Cedar escapes non-ASCII as \\u{...}, unlike JSON)."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\u{{{ord(ch):x}}}")
    out.append('"')
    return "".join(out)


def uid(kind: str, ident: str) -> str:
    return f"{kind}::{cedar_string(ident)}"


def ref(kind: str, ident: str) -> dict[str, Any]:
    """An entity reference in Cedar's JSON format."""
    return {"__entity": {"type": kind, "id": ident}}


def target_id(model: str, place: str) -> str:
    return f"{model}|{place}"


def micros(instant: datetime) -> int:
    """Whole microseconds since the epoch: exact integer time for Cedar's Long comparisons."""
    return (instant - _EPOCH) // timedelta(microseconds=1)
