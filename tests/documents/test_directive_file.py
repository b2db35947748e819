"""Directive files: every kind of mistake is reported with its file, line and field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clearance.domain.directives import Action, Mode, Persons

from .helpers import KNOWN_GROUPS, directives, rendered, text

# Lines 1-7; each case below adds its own lines from line 8 on.
BASE = text("""
    id: T-1
    title: Test directive
    authority: BIS
    issued: 2026-11-16
    effective: 2026-11-16T00:00:00Z
    scope:
      models: [fable-5]
""")
HEAD = BASE.split("scope:")[0]  # lines 1-5, no scope

BAD_FIELDS = [
    pytest.param(BASE + "restrict:\n  destinations:\n    - CN\n    - group:D:9\n",
                 [f'd.yaml:11: restrict.destinations: unknown country group "D:9" (known: {KNOWN_GROUPS})'],
                 id="unknown-group-names-its-element-line"),
    pytest.param(BASE + "restrict:\n  destinations: [CN, XX, US]\n",
                 ['d.yaml:9: restrict.destinations: unknown country "XX"',
                  "d.yaml:9: restrict.destinations: US is the home country, which is never a destination"],
                 id="flow-list-elements"),
    pytest.param(BASE + "restrict:\n  destinations: []\n",
                 ['d.yaml:9: restrict.destinations: an empty list restricts nothing; write "all" or name '
                  "destinations"],
                 id="empty-destinations"),
    pytest.param(BASE + "except:\n  destinations:\n    - all\n",
                 ['d.yaml:9: except.destinations: "all" cannot be an exception: that would make the directive '
                  "restrict nothing"],
                 id="all-excepted"),
    pytest.param(BASE + "mode: enforced\n",
                 ['d.yaml:8: mode: "enforced" is not one of: draft, shadow, enforce, revoked'],
                 id="enum-lists-allowed-values"),
    pytest.param(BASE + "restrict:\n  persons: everyone\n  unknown: maybe\n",
                 ['d.yaml:9: restrict.persons: "everyone" is not one of: foreign, all, none',
                  'd.yaml:10: restrict.unknown: "maybe" is not one of: deny, allow'],
                 id="nested-enums"),
    pytest.param(BASE + "mode: draft\nmode: enforce\n",
                 ['d.yaml:9: duplicate key "mode" (first on line 8)'],
                 id="duplicate-key"),
    pytest.param(BASE + "restrict:\n  persons: all\n  persons: foreign\n",
                 ['d.yaml:10: restrict: duplicate key "persons" (first on line 9)'],
                 id="duplicate-nested-key"),
    pytest.param(BASE + "colour: red\n",
                 ['d.yaml:8: unknown field "colour" (expected one of: id, title, authority, issued, effective, '
                  "expires, mode, scope, restrict, except, action, degrade_to, safeguards, licensing, message)"],
                 id="unknown-field"),
    pytest.param(BASE + "restrict:\n  person: all\n",
                 ['d.yaml:9: restrict: unknown field "person" (expected one of: persons, destinations, deemed, '
                  "unknown, parties)"],
                 id="unknown-nested-field"),
    pytest.param(HEAD + "mode: enforce\n",
                 ["d.yaml:1: scope: required field missing"],
                 id="missing-field-at-the-mapping"),
    pytest.param(HEAD + "scope:\n  capabilities: [cyber-offense]\n",
                 ["d.yaml:6: scope.models: required field missing"],
                 id="missing-nested-field-at-its-parent"),
    pytest.param(HEAD + "scope:\n  models: fable-5\n",
                 ["d.yaml:7: scope.models: expected a list, e.g. [fable-5]"],
                 id="scalar-for-a-list"),
    pytest.param(HEAD + "scope:\n  models: []\n",
                 ["d.yaml:7: scope.models: the list must not be empty"],
                 id="empty-models"),
    pytest.param(BASE + "scope_models: x\nrestrict: foreign\n",
                 ['d.yaml:8: unknown field "scope_models" (expected one of: id, title, authority, issued, '
                  "effective, expires, mode, scope, restrict, except, action, degrade_to, safeguards, "
                  "licensing, message)",
                  'd.yaml:9: restrict: expected a mapping of fields, got "foreign"'],
                 id="scalar-for-a-mapping"),
    pytest.param(BASE + "action: degrade\n",
                 ["d.yaml:8: action: action degrade needs degrade_to: the fallback model"],
                 id="model-rule-points-at-the-field-it-names"),
    pytest.param(BASE + "action: degrade\ndegrade_to: gpt-9\n",
                 ['d.yaml:9: degrade_to: unknown model "gpt-9" (known: fable-4, fable-5, mythos-5)'],
                 id="unknown-fallback"),
    pytest.param(BASE + "expires: 2026-11-01\n",
                 ["d.yaml:8: expires: expires (2026-11-01T00:00:00+00:00) must be after effective "
                  "(2026-11-16T00:00:00+00:00)"],
                 id="expires-before-effective"),
    pytest.param(BASE + "restrict:\n  persons: none\n",
                 ["d.yaml:9: restrict.persons: restrict.persons none with no restrict.parties restricts nobody"],
                 id="restricts-nobody"),
    pytest.param(BASE + "action: safeguard\nsafeguards:\n  jailbreak_threshold: high\n",
                 ['d.yaml:10: safeguards.jailbreak_threshold: "high" is not a number'],
                 id="not-a-number"),
    pytest.param(BASE + "action: safeguard\nsafeguards: {jailbreak_threshold: 2}\n",
                 ["d.yaml:9: safeguards.jailbreak_threshold: must be less than or equal to 1"],
                 id="out-of-range"),
    pytest.param(BASE + "message: !!binary aGk=\n",
                 ["d.yaml:8: message: unsupported YAML tag tag:yaml.org,2002:binary"],
                 id="unsupported-tag"),
    pytest.param(BASE.replace("id: T-1", "id: T 1"),
                 ['d.yaml:1: id: "T 1" is not an identifier: use letters, digits and . _ : / - only, starting '
                  "with a letter or digit"],
                 id="bad-identifier"),
    pytest.param(BASE.replace("title: Test directive", "title:"),
                 ["d.yaml:2: title: expected text, got an empty value"],
                 id="empty-title"),
    pytest.param(BASE.replace("issued: 2026-11-16", "issued: 2026-13-01"),
                 ['d.yaml:4: issued: "2026-13-01" is not a date (YYYY-MM-DD): month value is outside expected '
                  "range of 1-12"],
                 id="bad-date"),
    pytest.param(BASE.replace("issued: 2026-11-16", "issued: 2026-11-16T08:00:00Z"),
                 ['d.yaml:4: issued: "2026-11-16T08:00:00Z" is not a date (YYYY-MM-DD)'],
                 id="issued-is-a-date"),
    pytest.param(BASE.replace("effective: 2026-11-16T00:00:00Z", "effective: soon"),
                 ['d.yaml:5: effective: "soon" is not an ISO 8601 date or time'],
                 id="bad-instant"),
    pytest.param(BASE.replace("effective: 2026-11-16T00:00:00Z", "effective: 2026-11-15"),
                 ["d.yaml:5: effective: effective (2026-11-15) is before issued (2026-11-16)"],
                 id="effective-before-issued"),
]


@pytest.mark.parametrize(("source_text", "expected"), BAD_FIELDS)
def test_bad_field_is_reported_with_line_and_field(source_text: str, expected: list[str]) -> None:
    assert rendered(lambda: directives(source_text)) == expected


BAD_FILES = [
    pytest.param("", ['d.yaml: empty file: expected a directive or a list under "directives:"'], id="empty"),
    pytest.param("# only a comment\n", ['d.yaml: empty file: expected a directive or a list under "directives:"'],
                 id="only-comments"),
    pytest.param("- id: T-1\n",
                 ['d.yaml:1: expected a directive (a mapping of fields), got a list; put a list under '
                  '"directives:"'],
                 id="top-level-list"),
    pytest.param("just text\n", ['d.yaml:1: expected a directive (a mapping of fields), got "just text"'],
                 id="top-level-scalar"),
    pytest.param("licenses:\n  - id: L-1\n",
                 ['d.yaml:1: expected a directive or a list under "directives:", found a list under "licenses:"'],
                 id="wrong-list-key"),
    pytest.param("directives:\n", ["d.yaml:1: directives: the list is empty: name at least one directive"],
                 id="empty-list"),
    pytest.param("directives: T-1\n", ['d.yaml:1: directives: must be a list of directives, got "T-1"'],
                 id="list-key-not-a-list"),
    pytest.param("directives:\n  - T-1\n",
                 ['d.yaml:2: directives: expected a directive (a mapping of fields), got "T-1"'],
                 id="list-item-not-a-mapping"),
    pytest.param("id: [T-1\ntitle: x\n",
                 ["d.yaml:2: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence)"],
                 id="syntax-error"),
    pytest.param("id: T-1\n  title: x\n",
                 ["d.yaml:2: YAML syntax error: mapping values are not allowed here"], id="bad-indentation"),
    pytest.param("id: T-1\n---\nid: T-2\n",
                 ["d.yaml:2: YAML syntax error: expected a single document in the stream, but found another "
                  "document"],
                 id="two-documents"),
    pytest.param("id: T-1\x07\n", ["d.yaml:1: YAML syntax error: character U+0007 is not allowed"],
                 id="control-character"),
]


@pytest.mark.parametrize(("source_text", "expected"), BAD_FILES)
def test_bad_file_is_rejected_whole(source_text: str, expected: list[str]) -> None:
    assert rendered(lambda: directives(source_text)) == expected


def test_list_form_reports_paths_relative_to_each_directive_and_duplicate_ids() -> None:
    one = BASE.replace("\n", "\n    ").rstrip(" ")
    source_text = (
        "directives:\n"
        f"  - {one}"                                      # lines 2-8
        f"  - {one.replace('fable-5', 'fable-6')}"        # lines 9-15: same id, unknown model is fine (warning)
        f"  - {one.replace('T-1', 'T-3')}    mode: live\n"  # lines 16-23
        "extra: 1\n"                                      # line 24
    )
    assert rendered(lambda: directives(source_text)) == [
        'd.yaml:9: id: duplicate directive id "T-1" (first on line 2)',
        'd.yaml:23: mode: "live" is not one of: draft, shadow, enforce, revoked',
        'd.yaml:24: unknown top-level key "extra" (a file with "directives:" holds only that list)',
    ]


def test_nothing_is_returned_from_a_file_with_one_bad_directive() -> None:
    good = BASE.replace("\n", "\n    ").rstrip(" ")
    bad = good.replace("T-1", "T-2").replace("fable-5", "'family:'")
    with pytest.raises(Exception, match='"family:" names no family or tier'):
        directives(f"directives:\n  - {good}  - {bad}")


def test_design_example_loads() -> None:
    source_text = text("""
        id: BIS-2026-AI-001
        title: Access to Fable 5 and Mythos 5 by foreign persons
        authority: US Department of Commerce, BIS
        issued: 2026-11-16
        effective: 2026-11-16T00:00:00Z
        mode: enforce
        scope:
          models: [fable-5, mythos-5]
        restrict:
          persons: foreign
          destinations: all
        action: deny
        degrade_to: null
        safeguards: {}
        message: Restricted.
    """)
    [directive] = directives(source_text)
    assert directive.id == "BIS-2026-AI-001"
    assert directive.mode is Mode.ENFORCE
    assert directive.restrict.persons is Persons.FOREIGN
    assert directive.restrict.all_destinations
    assert directive.action is Action.DENY
    assert directive.degrade_to is None


@pytest.mark.parametrize("spelling", ["NO", "no", "No", "'NO'", '"NO"'])
def test_norway_survives_yaml_1_1(spelling: str) -> None:
    source_text = BASE + f"restrict:\n  destinations: [CN, {spelling}]\nexcept:\n  destinations:\n    - group:D:5\n"
    [directive] = directives(source_text)
    assert directive.restrict.destinations == ("CN", "NO")


def test_other_yaml_booleans_are_not_turned_into_false() -> None:
    source_text = BASE + "restrict:\n  destinations: [on, yes]\n"
    assert rendered(lambda: directives(source_text)) == [
        'd.yaml:9: restrict.destinations: unknown country "on"',
        'd.yaml:9: restrict.destinations: unknown country "yes"',
    ]


@pytest.mark.parametrize(("issued", "effective", "expected"), [
    ("2026-11-16", "2026-11-16T00:00:00Z", datetime(2026, 11, 16, tzinfo=UTC)),
    ("'2026-11-16'", "'2026-11-16T00:00:00Z'", datetime(2026, 11, 16, tzinfo=UTC)),
    ("2026-11-16", "2026-11-16", datetime(2026, 11, 16, tzinfo=UTC)),
    ("2026-11-16", "2026-11-16T09:30:00+02:00", datetime(2026, 11, 16, 7, 30, tzinfo=UTC)),
    ("2026-11-16", "2026-11-16 10:00:00 -5", datetime(2026, 11, 16, 15, tzinfo=UTC)),  # YAML's own spelling
    ("2026-11-16", "2026-11-16T08:00:00", datetime(2026, 11, 16, 8, tzinfo=UTC)),  # naive: read as UTC
])
def test_dates_and_instants(issued: str, effective: str, expected: datetime) -> None:
    source_text = (BASE.replace("issued: 2026-11-16", f"issued: {issued}")
                   .replace("effective: 2026-11-16T00:00:00Z", f"effective: {effective}"))
    [directive] = directives(source_text)
    assert directive.issued == date(2026, 11, 16)
    assert directive.effective == expected


def test_merge_keys_share_fields_and_explicit_keys_win() -> None:
    source_text = text("""
        directives:
          - &common
            id: T-1
            title: First
            authority: BIS
            issued: 2026-11-16
            effective: 2026-11-16
            scope: {models: [fable-5]}
          - <<: *common
            id: T-2
            mode: shadow
    """)
    first, second = directives(source_text)
    assert (second.id, second.title, second.mode) == ("T-2", "First", Mode.SHADOW)
    assert first.mode is Mode.DRAFT
