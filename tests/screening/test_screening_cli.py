"""`clearance screen`: JSON lines per DESIGN.md, and clear exit statuses for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from screening_data import DATA, HERE

from clearance.cli.main import main

SDN = DATA / "ofac_sdn_legacy_2021-07-07" / "sdn.csv"
DPL = DATA / "bis_dpl_2022-09-07" / "dpl.txt"


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_json_lines_one_per_query(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["screen", "Ismail Haniya", "Nobody Inparticular", "--list", str(SDN), "--list", str(DPL),
                 "--format", "sdn", "--format", "dpl", "--json"])
    assert code == 0
    first, second = _lines(capsys)
    assert first["query"] == "Ismail Haniya" and second == {"query": "Nobody Inparticular", "matches": []}
    [match] = first["matches"]  # type: ignore[misc]
    assert {k: match[k] for k in ("entry_id", "list", "name", "score")} == {
        "entry_id": "ofac-sdn:23627", "list": "OFAC SDN", "name": "HANIYEH, Ismail", "score": 1.0}
    assert match["matched_name"] == "HANIYA, Ismail" and match["programs"] == ["SDGT"]


def test_names_from_a_file_and_a_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Aaron Abraham Villa\n\nVladimir Putin\n", encoding="utf-8")
    code = main(["screen", "--file", str(names), "--list", str(HERE / "ftm_sample.jsonl"), "--format", "ftm",
                 "--allow-problems", "--threshold", "0.9", "--json"])
    assert code == 0
    lines = _lines(capsys)
    assert [line["query"] for line in lines] == ["Aaron Abraham Villa", "Vladimir Putin"]
    assert [m["entry_id"] for m in lines[1]["matches"]] == ["ftm:NK-putin"]  # type: ignore[attr-defined]


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["screen", "Aaron Abraham Villa", "--list", str(DPL), "--format", "dpl"]) == 0
    out = capsys.readouterr().out
    assert "1 match" in out and "AARON ABRAHAM VILLA" in out and "dpl:3" in out


@pytest.mark.parametrize(("args", "code", "says"), [
    (["screen", "x", "--list", "/nonexistent/sdn.csv", "--format", "sdn"], 66, "no such list file"),
    (["screen", "x", "--list", str(DPL), "--format", "sdn"], 65, "malformed rows"),
    (["screen", "x", "--list", str(HERE / "ftm_sample.jsonl"), "--format", "ftm"], 65, ":6: not JSON"),
    (["screen", "x", "--list", str(DPL), "--format", "xml"], 64, "unknown list format"),
    (["screen", "x"], 64, "no list"),
    (["screen", "--list", str(DPL), "--format", "dpl"], 64, "no name"),
    (["screen", "x", "--list", str(DPL), "--format", "dpl", "--threshold", "1.5"], 64, "outside"),
    (["screen", "x", "--list", str(DPL), "--format", "dpl", "--type", "robot"], 64, "--type"),
    (["screen", "x", "--list", str(DPL), "--list", str(SDN), "--format", "dpl", "--format", "sdn",
      "--format", "csl"], 64, "--format"),
    (["screen", "--file", "/nonexistent/names.txt", "--list", str(DPL), "--format", "dpl"], 66, "no such file"),
])
def test_bad_input_gives_a_clear_error(args: list[str], code: int, says: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == code
    captured = capsys.readouterr()
    assert says in " ".join(captured.err.split()) and "Traceback" not in captured.err
