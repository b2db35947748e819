"""`clearance lists …`, `clearance review …`, and `screen`/`decide` with stored lists, in process, on both backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from screening_data import DATA, HERE
from workflow_helpers import SUBJECTS_CSV, write_ftm

from clearance.cli.main import main

DPL = DATA / "bis_dpl_2022-09-07" / "dpl.txt"


class Run:
    """`clearance ARGS --home H --database URL`, its exit status and output."""

    def __init__(self, home: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.home, self.url, self.capsys = home, url, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main([*args, "--home", str(self.home), "--database", self.url])
        out = self.capsys.readouterr()
        assert "Traceback" not in out.err
        return code, out.out, " ".join(out.err.split())

    def json(self, *args: str) -> Any:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def run(store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    assert main(["init", "--home", str(tmp_path / "home")]) == 0
    capsys.readouterr()
    return Run(tmp_path / "home", store_url, capsys)


def test_list_review_decide_flow(run: Run, tmp_path: Path) -> None:
    (tmp_path / "subjects.csv").write_text(SUBJECTS_CSV, encoding="utf-8")
    assert run.json("subjects", "import", str(tmp_path / "subjects.csv"))["screening_pending_review"] == 0
    loaded = run.json("lists", "import", str(write_ftm(tmp_path / "list.jsonl")), "--format", "ftm",
                      "--name", "Test")
    assert loaded["list"]["entries"] == 3 and loaded["screening"]["potential"] == 2 and not loaded["replaced"]
    assert [s["name"] for s in run.json("lists", "list")] == ["Test"]
    pending = {r["party"]: r for r in run.json("review", "list")}
    assert set(pending) == {"subject:ivan", "organization:Rosneft Trading LLC"}
    assert run("decide", "--subject", "ivan", "--model", "fable-4", "--location", "US")[0] == 1
    ivan, org = pending["subject:ivan"]["id"], pending["organization:Rosneft Trading LLC"]["id"]
    confirmed = run.json("review", "confirm", str(ivan), "--reviewer", "jo", "--reason", "passport matches")
    assert (confirmed["status"], confirmed["reviewed_by"], confirmed["review_reason"]) == (
        "confirmed", "jo", "passport matches")
    run.json("review", "dismiss", str(org), "--reviewer", "jo", "--reason", "different registry number")
    code, out, _ = run("decide", "--subject", "ivan", "--model", "fable-4", "--location", "US", "--json")
    decision = json.loads(out)
    assert code == 1 and [r["code"] for r in decision["reasons"]] == ["RESTRICTED_PARTY"]
    assert "ftm:P-ivan" in decision["reasons"][0]["detail"]
    assert run("decide", "--subject", "olga", "--model", "fable-4", "--location", "US")[0] == 0
    assert run.json("review", "list") == []
    assert {r["status"] for r in run.json("review", "list", "--status", "all")} == {"confirmed", "dismissed"}
    # Re-import the same list: the dismissal holds, the confirmation too.
    again = run.json("lists", "import", str(tmp_path / "list.jsonl"), "--format", "ftm", "--name", "Test")
    assert again["replaced"] and again["screening"]["confirmed"] == 1 and again["screening"]["potential"] == 0
    assert run("decide", "--subject", "olga", "--model", "fable-4", "--location", "US")[0] == 0
    # An inline subject is screened by name at decision time.
    inline = json.dumps({"id": "walk-in", "name": "Petrovsky, Ivan Sergeyevich", "citizenships": "US"})
    code, out, _ = run("decide", "--subject-json", inline, "--model", "fable-4", "--location", "US", "--json")
    assert code == 1 and [r["code"] for r in json.loads(out)["reasons"]] == ["PENDING_REVIEW"]
    removed = run.json("lists", "remove", "Test")
    assert removed["screening"]["confirmed"] == 0
    assert run("decide", "--subject", "ivan", "--model", "fable-4", "--location", "US")[0] == 0


def test_screen_uses_the_stored_lists(run: Run) -> None:
    code, _, err = run("screen", "Aaron Abraham Villa")
    assert code == 64 and "no list" in err and "clearance lists import" in err
    assert run.json("lists", "import", str(DPL), "--format", "dpl")["list"]["name"] == "BIS DPL"
    code, out, _ = run("screen", "Aaron Abraham Villa", "--json")
    assert code == 0 and [m["entry_id"] for m in json.loads(out)["matches"]] == ["dpl:3"]


def test_real_dpl_import_counts(run: Run) -> None:
    rows = sum(1 for line in DPL.read_bytes().splitlines() if line.strip()) - 1
    loaded = run.json("lists", "import", str(DPL), "--format", "dpl")
    assert loaded["list"]["entries"] == rows and loaded["list"]["version"] == "2022-09-07" and loaded["problems"] == 0


def test_malformed_rows_are_refused_by_line_and_leave_the_store_alone(run: Run) -> None:
    run.json("lists", "import", str(write_ftm(run.home.parent / "ok.jsonl")), "--format", "ftm", "--name", "Test")
    code, _, err = run("lists", "import", str(HERE / "ftm_sample.jsonl"), "--format", "ftm", "--name", "Test")
    assert code == 65 and "ftm_sample.jsonl:5: properties.name: a party without a name" in err
    assert "ftm_sample.jsonl:6: not JSON" in err and "3 malformed rows" in err
    assert run.json("lists", "list")[0]["entries"] == 3  # the earlier import stands
    code, out, err = run("lists", "import", str(HERE / "ftm_sample.jsonl"), "--format", "ftm", "--name", "Test",
                         "--allow-problems")
    assert code == 0 and "ftm_sample.jsonl:7: needs an 'id' and a 'schema' (row left out)" in err
    assert "3 malformed rows left out" in " ".join(out.split())
    assert run.json("lists", "list")[0]["entries"] == 4


@pytest.mark.parametrize(("args", "code", "says"), [
    (["lists", "import", "/nonexistent/sdn.csv", "--format", "sdn"], 66, "no such list file"),
    (["lists", "import", str(DPL), "--format", "xml"], 64, "--format 'xml'"),
    (["lists", "import", str(DPL), "--format", "sdn"], 65, "dpl.txt:1: expected 12 fields"),
    (["lists", "remove", "Nope"], 66, 'no list "Nope"'),
    (["review", "confirm", "42", "--reviewer", "jo", "--reason", "x"], 66, "no screening result 42"),
    (["review", "dismiss", "x", "--reviewer", "jo", "--reason", "x"], 64, "usage error"),
    (["review", "dismiss", "1", "--reviewer", "jo"], 64, "--reason"),
    (["review", "list", "--status", "maybe"], 64, "--status 'maybe'"),
])
def test_bad_input_gives_a_clear_error(run: Run, args: list[str], code: int, says: str) -> None:
    got, _, err = run(*args)
    assert got == code and says in err


def test_an_empty_reason_is_refused(run: Run, tmp_path: Path) -> None:
    (tmp_path / "subjects.csv").write_text(SUBJECTS_CSV, encoding="utf-8")
    run.json("subjects", "import", str(tmp_path / "subjects.csv"))
    run.json("lists", "import", str(write_ftm(tmp_path / "list.jsonl")), "--format", "ftm")
    first = run.json("review", "list")[0]["id"]
    code, _, err = run("review", "dismiss", str(first), "--reviewer", "jo", "--reason", " ")
    assert code == 65 and "reason" in err
    assert run.json("review", "list")[0]["status"] == "potential"
