"""License files: the same rules as directive files, for the authorisations that lift directives."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clearance.documents import load_licenses
from clearance.domain.licenses import HolderKind, License, LicenseStatus

from .helpers import GROUPS, KNOWN_GROUPS, rendered, text

# Lines 1-4; each case below adds its own lines from line 5 on.
BASE = text("""
    id: LIC-1
    holder: subject:ravi
    models: [fable-5]
    valid_from: 2026-11-20
""")


def licenses(source_text: str) -> list[License]:
    return load_licenses(source_text, source="l.yaml", groups=GROUPS)


BAD = [
    pytest.param(BASE.replace("subject:ravi", "person:ravi"),
                 ['l.yaml:2: holder: unknown holder kind "person" (one of subject, organization, destination)'],
                 id="holder-kind"),
    pytest.param(BASE.replace("subject:ravi", "destination:XX"),
                 ['l.yaml:2: holder: unknown country or region "XX"'], id="holder-country"),
    pytest.param(BASE.replace("subject:ravi", "ravi"),
                 ['l.yaml:2: holder: "ravi" is not KIND:ID (KIND is one of subject, organization, destination)'],
                 id="holder-form"),
    pytest.param(BASE + "destinations:\n  - IN\n  - group:Z\n",
                 [f'l.yaml:7: destinations: unknown country group "Z" (known: {KNOWN_GROUPS})'],
                 id="unknown-group"),
    pytest.param(BASE + "status: expired\n",
                 ['l.yaml:5: status: "expired" is not one of: active, suspended, revoked'], id="status"),
    pytest.param(BASE + "valid_until: 2026-11-01\n",
                 ["l.yaml:5: valid_until: valid_until (2026-11-01T00:00:00+00:00) must be after valid_from "
                  "(2026-11-20T00:00:00+00:00)"],
                 id="window"),
    pytest.param(BASE + "conditions:\n  max_requests: 0\n  cap: 3\n",
                 ["l.yaml:6: conditions.max_requests: must be greater than 0",
                  'l.yaml:7: conditions: unknown field "cap" (expected one of: max_requests, safeguards)'],
                 id="conditions"),
    pytest.param(BASE + "conditions:\n  max_requests: lots\n",
                 ['l.yaml:6: conditions.max_requests: "lots" is not a whole number'], id="not-a-count"),
    pytest.param(BASE.replace("models: [fable-5]\n", ""),
                 ["l.yaml:1: a license must name the models or the directives it covers"], id="covers-nothing"),
    pytest.param(BASE.replace("valid_from: 2026-11-20\n", "valid_form: 2026-11-20\n"),
                 ["l.yaml:1: valid_from: required field missing",
                  'l.yaml:4: unknown field "valid_form" (expected one of: id, holder, models, directives, '
                  "destinations, valid_from, valid_until, conditions, status, note)"],
                 id="misspelt-field"),
    pytest.param("licenses:\n" + 2 * ("  - " + BASE.replace("\n", "\n    ").rstrip(" ")),
                 ['l.yaml:6: id: duplicate license id "LIC-1" (first on line 2)'], id="duplicate-id"),
    pytest.param("", ['l.yaml: empty file: expected a license or a list under "licenses:"'], id="empty"),
]


@pytest.mark.parametrize(("source_text", "expected"), BAD)
def test_bad_license_is_reported_with_line_and_field(source_text: str, expected: list[str]) -> None:
    assert rendered(lambda: licenses(source_text)) == expected


def test_one_license_loads() -> None:
    [lic] = licenses(BASE + "destinations: [IN, group:A:5]\nconditions: {max_requests: 100}\n")
    assert lic.holder.kind is HolderKind.SUBJECT and lic.holder.id == "ravi"
    assert lic.destinations == ("IN", "group:A:5")
    assert lic.valid_from == datetime(2026, 11, 20, tzinfo=UTC)
    assert lic.conditions.max_requests == 100
    assert lic.status is LicenseStatus.ACTIVE


@pytest.mark.parametrize("valid_from", ["2026-11-20", "2026-11-20T00:00:00Z", "'2026-11-20'"])
def test_valid_from_as_date_or_instant(valid_from: str) -> None:
    [lic] = licenses(BASE.replace("2026-11-20", valid_from))
    assert lic.valid_from == datetime(2026, 11, 20, tzinfo=UTC)


def test_norway_as_holder_and_destination_survives() -> None:
    first, second = licenses(text("""
        licenses:
          - id: LIC-NO
            holder: destination:NO
            models: [fable-5]
            valid_from: 2026-11-20
          - id: LIC-ORG
            holder: organization:acme
            directives: [BIS-2026-AI-001]
            destinations: [NO, SE]
            valid_from: 2026-11-20
    """))
    assert str(first.holder) == "destination:NO"
    assert second.destinations == ("NO", "SE")
