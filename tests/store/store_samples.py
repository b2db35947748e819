"""Domain objects for the store tests, built directly (no files), each overridable field by field."""

from __future__ import annotations

from datetime import date
from typing import Any

from clearance.domain.directives import Directive
from clearance.domain.licenses import License
from clearance.domain.subjects import Nationality, Subject, UsPersonStatus

DIRECTIVE_TEXT = """# BIS interim rule, as published
id: BIS-2026-AI-001
title: Access to Fable 5 and Mythos 5 by foreign persons
"""


def directive(id: str = "BIS-2026-AI-001", **fields: Any) -> Directive:
    data: dict[str, Any] = {
        "id": id,
        "title": "Access to Fable 5 and Mythos 5 by foreign persons",
        "authority": "US Department of Commerce, BIS",
        "issued": "2026-11-16",
        "effective": "2026-11-16T00:00:00Z",
        "mode": "enforce",
        "scope": {"models": ["fable-5", "mythos-5"]},
        "message": f"Access to this model is restricted by export-control directive {id}.",
    }
    data.update(fields)
    return Directive.model_validate(data)


def rich_directive() -> Directive:
    """Every optional field set, so a round trip that drops one is caught."""
    return directive(
        "BIS-2026-AI-002",
        title="Cyber-offense capabilities of frontier models toward D:5 countries",
        issued="2026-11-20",
        effective="2026-11-21T08:30:00+02:00",
        expires="2027-05-21T00:00:00Z",
        mode="shadow",
        scope={"models": ["tier:frontier", "family:fable"], "capabilities": ["cyber-offense"]},
        restrict={"persons": "all", "destinations": ["group:D:5", "UA-43", "IR"],
                  "deemed": "any-citizenship", "unknown": "allow",
                  "parties": ["organization:acme", "subject:mallory"]},
        **{"except": {"destinations": ["group:A:5"]}},
        action="safeguard",
        safeguards={"jailbreak_threshold": 0.2, "block_capabilities": ["cyber-offense", "cbrn-weapons"]},
        licensing="presumption-of-denial",
        message="Restricted: cyber-offense capabilities.",
    )


def subject(id: str = "alice", **fields: Any) -> Subject:
    data: dict[str, Any] = {
        "name": "Alice Example",
        "organization": "acme",
        "citizenships": (Nationality("IN", date(2001, 5, 1)), Nationality("CA", date(2019, 2, 11))),
        "permanent_residence": Nationality("US"),
        "us_person": UsPersonStatus.LPR,
        "email": "alice@example.com",
    }
    data.update(fields)
    return Subject(id=id, **data)


def license_(id: str = "D-1234567", **fields: Any) -> License:
    data: dict[str, Any] = {
        "id": id,
        "holder": "subject:alice",
        "models": ["fable-5"],
        "valid_from": "2026-11-20T00:00:00Z",
    }
    data.update(fields)
    return License.model_validate(data)


def rich_license() -> License:
    return license_(
        "D-7654321",
        holder="organization:acme",
        models=["fable-5", "family:mythos"],
        directives=["BIS-2026-AI-001"],
        destinations=["IN", "group:A:5", "UA-43"],
        valid_from="2026-11-20T09:00:00-05:00",
        valid_until="2027-11-20",
        conditions={"max_requests": 1000, "safeguards": {"jailbreak_threshold": 0.3}},
        status="suspended",
        note="Granted after review of the end-use statement.",
    )
