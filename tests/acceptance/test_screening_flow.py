"""Restricted parties through the installed `clearance` command: list → subjects → review → decide.

A foreign national holds a license that lifts the directive for them; the BIS Denied Persons List
(the real 2022 file) names them.  While the match awaits review they are denied PENDING_REVIEW;
once confirmed, RESTRICTED_PARTY, license or not.  A namesake's match is dismissed, and stays so
when the list is imported again.
"""

from __future__ import annotations

from pathlib import Path

from cli_runner import EXAMPLES, Cli

DPL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "screening" / "bis_dpl_2022-09-07" / "dpl.txt"

SUBJECTS = """id,name,organization,citizenships,permanent_residence,us_person,email
aaron,Aaron Abraham Villa,,MX,,,aaron@example.com
namesake,Aron Abraham Villa,,US,,citizen,villa@example.com
alice,Alice Carter,,US,,citizen,alice@example.com
"""

LICENSES = """licenses:
  - id: LIC-SCREEN-1
    holder: subject:aaron
    models: [fable-5, mythos-5]
    directives: [BIS-2026-AI-001]
    valid_from: 2026-11-01
"""


def _codes(result: object) -> list[str]:
    return sorted({r["code"] for r in result.json()["reasons"]})  # type: ignore[attr-defined]


def test_list_subjects_review_decide(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "subjects.csv").write_text(SUBJECTS, encoding="utf-8")
    (tmp_path / "licenses.yaml").write_text(LICENSES, encoding="utf-8")
    for args in (("directives", "apply", str(EXAMPLES / "directives" / "bis-2026-ai-001.yaml")),
                 ("subjects", "import", str(tmp_path / "subjects.csv")),
                 ("licenses", "import", str(tmp_path / "licenses.yaml"))):
        assert cli(*args).code == 0, args
    decide = ("decide", "--subject", "aaron", "--model", "fable-5", "--location", "US", "--json")
    before = cli(*decide)
    assert before.code == 0 and _codes(before) == ["LICENSED"]  # no list yet: nothing to screen against

    loaded = cli("lists", "import", str(DPL), "--format", "dpl", "--json")
    assert loaded.code == 0, loaded.stderr
    rows = sum(1 for line in DPL.read_bytes().splitlines() if line.strip()) - 1
    assert loaded.json()["list"]["entries"] == rows and loaded.json()["list"]["name"] == "BIS DPL"
    queue = {r["party"]: r for r in cli("review", "list", "--json").json()}
    assert set(queue) == {"subject:aaron", "subject:namesake"}
    assert queue["subject:aaron"]["entry_id"] == "dpl:3"

    pending = cli(*decide)
    assert pending.code == 1 and _codes(pending) == ["PENDING_REVIEW"]
    confirm = cli("review", "confirm", str(queue["subject:aaron"]["id"]), "--reviewer", "compliance-jo",
                  "--reason", "same address as the denial order")
    assert confirm.code == 0, confirm.stderr
    dismiss = cli("review", "dismiss", str(queue["subject:namesake"]["id"]), "--reviewer", "compliance-jo",
                  "--reason", "U.S. citizen, born 1990, not the denied party")
    assert dismiss.code == 0, dismiss.stderr

    denied = cli(*decide)
    assert denied.code == 1 and _codes(denied) == ["RESTRICTED_PARTY"]  # the license does not lift it
    assert "dpl:3" in denied.json()["reasons"][0]["detail"]
    human = cli("decide", "--subject", "aaron", "--model", "mythos-5", "--location", "US")
    assert human.code == 1 and "RESTRICTED_PARTY" in human.stdout
    namesake = ("decide", "--subject", "namesake", "--model", "fable-5", "--location", "US", "--json")
    assert cli(*namesake).code == 0

    again = cli("lists", "import", str(DPL), "--format", "dpl", "--json")  # the next edition, same entries
    assert again.code == 0 and again.json()["replaced"]
    assert cli("review", "list", "--json").json() == []
    assert cli(*namesake).code == 0 and cli(*decide).code == 1
    statuses = {r["party"]: r["status"] for r in cli("review", "list", "--status", "all", "--json").json()}
    assert statuses == {"subject:aaron": "confirmed", "subject:namesake": "dismissed"}
