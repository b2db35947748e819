"""Bad input through the command line: a specific message and exit status, never a traceback,
and nothing of a rejected input stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import EXAMPLES, Cli

GOOD_DIRECTIVE = (EXAMPLES / "directives" / "bis-2026-ai-001.yaml").read_text()


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_unknown_group_names_file_line_and_field(cli: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path, "directives.yaml", GOOD_DIRECTIVE.replace(
        "destinations: all                  #", 'destinations: ["group:D:9"]  #'))
    result = cli("directives", "validate", bad)
    assert result.code == 65
    assert f'{bad}:11: restrict.destinations: unknown country group "D:9"' in result.stderr


def test_a_bad_file_rejects_the_whole_apply(cli: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", GOOD_DIRECTIVE.replace("BIS-2026-AI-001", "OTHER").replace(
        "mode: enforce", "mode: enforced"))
    result = cli("directives", "apply", str(EXAMPLES / "directives" / "crimea.yaml"), bad)
    assert result.code == 65
    assert "mode" in result.stderr and "enforced" in result.stderr
    assert cli("directives", "list", "--json").json() == []


def test_malformed_yaml_reports_the_line(cli: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path, "broken.yaml", "id: X\ntitle: [unclosed\nmode: enforce\n")
    result = cli("directives", "validate", bad)
    assert result.code == 65
    assert f"{bad}:" in result.stderr


def test_dates_out_of_order(cli: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path, "dates.yaml", GOOD_DIRECTIVE.replace(
        "effective: 2026-11-16T00:00:00Z", "effective: 2026-11-16T00:00:00Z\nexpires: 2026-11-01"))
    result = cli("directives", "validate", bad)
    assert result.code == 65 and "expires" in result.stderr and "must be after effective" in result.stderr


def test_subjects_with_bad_rows_are_rejected_whole(cli: Cli, tmp_path: Path) -> None:
    csv = write(tmp_path, "people.csv", "id,name,organization,citizenships,permanent_residence,us_person,email\n"
                "ok1,Good Row,,FR,,,\n"
                "bad1,Bad Country,,XX,,,\n"
                "ok2,Another Good,,DE,,,\n"
                "bad2,Bad Status,,,,alien,\n"
                "ok1,Duplicate,,FR,,,\n")
    result = cli("subjects", "import", csv)
    assert result.code == 65
    for line in (3, 5, 6):
        assert f"{csv}:{line}:" in result.stderr
    assert cli("subjects", "show", "ok1").code == 66  # nothing half-imported


def test_subjects_unknown_column(cli: Cli, tmp_path: Path) -> None:
    csv = write(tmp_path, "people.csv", "id,name,nationality\nx,X,FR\n")
    result = cli("subjects", "import", csv)
    assert result.code == 65 and "nationality" in result.stderr


def test_license_naming_an_unknown_directive_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    result = cli("licenses", "import", str(EXAMPLES / "licenses.yaml"))
    assert result.code == 65 and 'unknown directive "BIS-2026-AI-001"' in result.stderr
    assert cli("licenses", "list", "--json").json() == []


def test_duplicate_license_id_is_a_conflict(cli: Cli) -> None:
    assert cli("directives", "apply", str(EXAMPLES / "directives" / "bis-2026-ai-001.yaml")).code == 0
    assert cli("licenses", "import", str(EXAMPLES / "licenses.yaml")).code == 0
    again = cli("licenses", "import", str(EXAMPLES / "licenses.yaml"))
    assert again.code == 65 and "LIC-2026-0001" in again.stderr
    assert len(cli("licenses", "list", "--json").json()) == 3


def test_license_grant_dates_out_of_order(cli: Cli) -> None:
    assert cli("directives", "apply", str(EXAMPLES / "directives" / "bis-2026-ai-001.yaml")).code == 0
    result = cli("licenses", "grant", "--id", "L-9", "--holder", "subject:x", "--model", "fable-5",
                 "--valid-from", "2026-12-01", "--valid-until", "2026-11-01")
    assert result.code == 65 and "valid_until" in result.stderr
    assert cli("licenses", "list", "--json").json() == []


def test_grant_then_revoke_changes_the_decision(cli: Cli) -> None:
    assert cli("directives", "apply", str(EXAMPLES / "directives" / "bis-2026-ai-001.yaml")).code == 0
    assert cli("subjects", "import", str(EXAMPLES / "subjects.csv")).code == 0
    decide = ("decide", "--subject", "ingrid", "--model", "fable-5", "--location", "US", "--json")
    assert cli(*decide).code == 1
    granted = cli("licenses", "grant", "--id", "L-NO-1", "--holder", "subject:ingrid", "--model", "fable-5",
                  "--directive", "BIS-2026-AI-001", "--valid-from", "2026-11-01")
    assert granted.code == 0, granted.stderr
    allowed = cli(*decide)
    assert allowed.code == 0 and allowed.json()["reasons"][0]["license"] == "L-NO-1"
    assert cli("licenses", "revoke", "L-NO-1", "--reason", "end use changed").code == 0
    assert cli(*decide).code == 1


@pytest.mark.parametrize(("args", "status", "message"), [
    (["decide", "--subject", "x", "--model", "no-such-model"], 65, 'unknown model "no-such-model"'),
    (["decide", "--subject", "x", "--subject-json", "{}", "--model", "fable-5"], 64, "exactly one of"),
    (["decide", "--subject", "x"], 64, "--model"),
    (["decide", "--subject", "x", "--model", "fable-5", "--at", "yesterday"], 64, "--at"),
    (["decide", "--subject", "x", "--model", "fable-5", "--ip", "300.1.1.1"], 64, "--ip"),
    (["decide", "--subject", "x", "--model", "fable-5", "--location", "ZZ"], 64, "--location"),
    (["decide", "--subject", "nobody", "--model", "fable-5"], 66, 'no subject "nobody"'),
    (["decide", "--subject-json", "{not json", "--model", "fable-5"], 65, "not JSON"),
    (["decide", "--subject-json", '{"id": "x", "citizenships": "QQ"}', "--model", "fable-5"], 65, "QQ"),
    (["directives", "validate", "/no/such/file.yaml"], 66, "no such file"),
    (["directives", "show", "NOPE"], 66, "NOPE"),
    (["licenses", "revoke", "NOPE", "--reason", "x"], 66, "NOPE"),
    (["frobnicate"], 64, "frobnicate"),
], ids=lambda v: v if isinstance(v, int) else None)
def test_usage_and_data_errors(cli: Cli, args: list[str], status: int, message: str) -> None:
    result = cli(*args)
    assert result.code == status, result.stderr
    assert message in result.stderr


def test_home_not_initialised(tmp_path: Path) -> None:
    runner = Cli(tmp_path / "nowhere", f"sqlite:///{tmp_path / 'x.db'}")
    result = runner("directives", "list")
    # An explicit database URL is enough to work without a clearance.toml.
    assert result.code == 0
    bare = Cli(tmp_path / "nowhere", "")
    result = bare("directives", "list")
    assert result.code == 69
    assert "clearance init" in result.stderr


def test_broken_settings_file(cli: Cli) -> None:
    (cli.home / "clearance.toml").write_text("[gateway]\nport = 'eighty'\n")
    result = cli("directives", "list")
    assert result.code == 78 and "gateway.port" in result.stderr
