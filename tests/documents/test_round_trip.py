"""Any valid directive or license, written out as YAML, reads back as the same value.

This is what `clearance directives show` → edit → `apply` relies on: nothing is lost or changed by
the trip through a file, whatever the text fields hold and however the codes are spelt.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from clearance.documents import load_licenses
from clearance.domain.capabilities import CAPABILITIES
from clearance.domain.directives import Action, Deemed, Directive, Licensing, Mode, Persons, Unknown
from clearance.domain.licenses import License, LicenseStatus

from .helpers import GROUPS, directives

PLACES = ("CN", "RU", "NO", "IN", "GB", "UA-43", "UA-40", "group:D:5", "group:A:5", "group:E:1")
texts = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)
idents = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,15}", fullmatch=True)
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                        timezones=st.just(UTC))
places = st.lists(st.sampled_from(PLACES), min_size=1, max_size=4, unique=True)


@st.composite
def directive_data(draw: st.DrawFn) -> dict[str, Any]:
    effective = draw(instants)
    action = draw(st.sampled_from(Action))
    data: dict[str, Any] = {
        "id": draw(idents), "title": draw(texts), "authority": draw(texts),
        "issued": (effective - timedelta(days=draw(st.integers(0, 30)))).date(),
        "effective": effective, "mode": draw(st.sampled_from(Mode)),
        "scope": {"models": draw(st.lists(st.sampled_from(["fable-5", "mythos-5", "family:mythos"]),
                                          min_size=1, unique=True)),
                  "capabilities": draw(st.lists(st.sampled_from(sorted(CAPABILITIES)), unique=True))},
        "restrict": {"persons": draw(st.sampled_from([Persons.FOREIGN, Persons.ALL])),
                     "destinations": draw(st.just("all") | places),
                     "deemed": draw(st.sampled_from(Deemed)), "unknown": draw(st.sampled_from(Unknown))},
        "except": {"destinations": draw(st.just([]) | places)},
        "action": action, "licensing": draw(st.sampled_from(Licensing)), "message": draw(st.text(max_size=40)),
    }
    if draw(st.booleans()):
        data["expires"] = effective + timedelta(hours=draw(st.integers(1, 10_000)))
    if action is Action.DEGRADE:
        data["degrade_to"] = "fable-4"
    if action is Action.SAFEGUARD:
        data["safeguards"] = {"jailbreak_threshold": draw(st.floats(0, 1)), "block_capabilities": ["cyber-offense"]}
    return data


@given(directive_data())
def test_directive_round_trip(data: dict[str, Any]) -> None:
    directive = Directive.model_validate(data)
    [again] = directives(yaml.safe_dump(directive.to_json()))
    assert again == directive


@given(st.lists(directive_data(), min_size=1, max_size=4, unique_by=lambda d: d["id"]))
def test_directive_list_round_trip(data: list[dict[str, Any]]) -> None:
    values = [Directive.model_validate(d) for d in data]
    dumped = yaml.safe_dump({"directives": [d.to_json() for d in values]}, sort_keys=False)
    assert directives(dumped) == values


@st.composite
def license_data(draw: st.DrawFn) -> dict[str, Any]:
    valid_from = draw(instants)
    holder = draw(st.sampled_from(["subject:", "organization:"]).map(lambda k: k + draw(idents))
                  | st.sampled_from(["destination:NO", "destination:UA-43", "destination:CN"]))
    data: dict[str, Any] = {
        "id": draw(idents), "holder": holder, "valid_from": valid_from,
        "models": draw(st.lists(st.sampled_from(["fable-5", "tier:frontier"]), min_size=1, unique=True)),
        "directives": draw(st.lists(idents, max_size=2, unique=True)),
        "status": draw(st.sampled_from(LicenseStatus)), "note": draw(st.text(max_size=30)),
        "conditions": {"max_requests": draw(st.none() | st.integers(1, 10**9))},
    }
    if not holder.startswith("destination:"):
        data["destinations"] = draw(st.just([]) | places)
    if draw(st.booleans()):
        data["valid_until"] = valid_from + timedelta(days=draw(st.integers(1, 900)))
    return data


@given(st.lists(license_data(), min_size=1, max_size=4, unique_by=lambda d: d["id"]))
def test_license_list_round_trip(data: list[dict[str, Any]]) -> None:
    values = [License.model_validate(d, context={"groups": GROUPS}) for d in data]
    dumped = yaml.safe_dump({"licenses": [v.to_json() for v in values]})
    assert load_licenses(dumped, source="l.yaml", groups=GROUPS) == values
