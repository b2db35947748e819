"""`clearance audit …`, `decide --record` and `init`'s key, as a user runs them, on both backends."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from audit_samples import sql

from clearance.cli.main import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CLEARANCE = shutil.which("clearance", path=str(Path(sys.executable).parent)) or "clearance"


class Home:
    def __init__(self, path: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.path, self.url, self._capsys = path, url, capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self._capsys.readouterr()
        code = main([*args, "--home", str(self.path), "--database", self.url])
        out, err = self._capsys.readouterr()
        return code, out, err


@pytest.fixture
def home(store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Home:
    monkeypatch.setenv("COLUMNS", "200")
    runner = Home(tmp_path / "home", store_url, capsys)
    assert runner("init")[0] == 0
    return runner


@pytest.fixture
def recorded(home: Home) -> Home:
    """Two decisions recorded: ravi denied (record 1), alice allowed (record 2)."""
    assert home("directives", "apply", str(EXAMPLES / "directives" / "bis-2026-ai-001.yaml"))[0] == 0
    assert home("subjects", "import", str(EXAMPLES / "subjects.csv"))[0] == 0
    code, _, err = home("decide", "--subject", "ravi", "--model", "fable-5", "--location", "US", "--record")
    assert code == 1 and "recorded as audit record 1" in err
    code, out, err = home("decide", "--subject", "alice", "--model", "fable-5", "--location", "US", "--record",
                          "--json")
    assert code == 0 and "recorded as audit record 2" in err
    assert json.loads(out)["effect"] == "allow"  # --json output is still the decision alone
    return home


def test_init_makes_a_private_signing_key_and_keeps_it(home: Home) -> None:
    key = home.path / "audit_signing_key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    code, out, _ = home("init", "--json")
    assert code == 0 and json.loads(out)["audit_signing_key"] == str(key)
    assert key.read_bytes() == before
    code, out, _ = home("audit", "public-key")
    assert code == 0 and out.startswith("-----BEGIN PUBLIC KEY-----")


def test_recorded_decisions_verify_search_and_export(recorded: Home, tmp_path: Path) -> None:
    code, out, _ = recorded("audit", "verify")
    assert code == 0 and "OK: records 1 to 2 (2) verify" in out
    code, out, _ = recorded("audit", "search", "--subject", "ravi", "--json")
    found = json.loads(out)
    assert code == 0 and [r["seq"] for r in found] == [1]
    record = found[0]["payload"]
    assert record["decision"]["effect"] == "deny"
    assert record["request"]["route"] == "cli:decide" and "organization" in record["request"]
    assert record["policy_version"] == record["decision"]["policy_version"]
    code, out, _ = recorded("audit", "search", "--directive", "BIS-2026-AI-001", "--json")
    assert [r["payload"]["decision"]["subject"] for r in json.loads(out)] == ["ravi"]
    code, out, _ = recorded("audit", "search", "--effect", "allow")
    assert code == 0 and "alice" in out and "ravi" not in out
    code, out, err = recorded("audit", "export", "--format", "jsonl")
    assert code == 0 and [json.loads(line)["seq"] for line in out.splitlines()] == [1, 2]
    assert "exported 2 records" in err
    target = tmp_path / "audit.csv"
    code, _, _ = recorded("audit", "export", "--format", "csv", "--output", str(target), "--from", "2000-01-01")
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert code == 0 and [(r["seq"], r["subject"], r["effect"]) for r in rows] == [("1", "ravi", "deny"),
                                                                                  ("2", "alice", "allow")]
    code, out, _ = recorded("audit", "export", "--to", "2000-01-01")
    assert code == 0 and out == ""


def test_pack_then_verify_the_pack(recorded: Home, tmp_path: Path) -> None:
    pack = tmp_path / "evidence.zip"
    code, out, _ = recorded("audit", "pack", "--output", str(pack), "--json")
    assert code == 0 and json.loads(out)["records"] == 2
    code, out, _ = recorded("audit", "verify", "--pack", str(pack))
    assert code == 0 and "OK" in out
    code, public_key, _ = recorded("audit", "public-key")
    with zipfile.ZipFile(pack) as archive:
        assert archive.read("public_key.pem").decode() == public_key


def test_verify_names_the_first_bad_record_and_exits_1(recorded: Home) -> None:
    sql(recorded.url, "UPDATE audit_records SET payload = replace(payload, '\"allow\"', '\"deny\"') WHERE seq = 2")
    code, out, _ = recorded("audit", "verify")
    assert code == 1
    assert "FAILED at record 2" in out and "changed after it was written" in out
    code, out, _ = recorded("audit", "verify", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["problems"][0]["seq"] == 2
    code, _, _ = recorded("audit", "verify", "--from", "1", "--to", "1")
    assert code == 0  # the range before the change still verifies


def test_prune_and_checkpoint_from_the_cli(recorded: Home) -> None:
    code, out, _ = recorded("audit", "checkpoint", "--json")
    assert code == 0 and json.loads(out)["seq"] == 2
    code, _, err = recorded("audit", "prune")
    assert code == 78 and "retention_days is 0" in err
    code, out, _ = recorded("audit", "prune", "--before", "2999-01-01", "--json")
    assert code == 0 and json.loads(out)["deleted"] == 2
    code, out, _ = recorded("audit", "verify")
    assert code == 0


@pytest.mark.parametrize(("args", "status", "words"), [
    (("audit", "verify", "--pack", "missing.zip"), 66, "no such evidence pack"),
    (("audit", "verify", "--from", "5", "--to", "2"), 64, "--from must not be after --to"),
    (("audit", "verify", "--from", "0"), 64, "--from"),
    (("audit", "export", "--from", "last tuesday"), 64, "--from"),
    (("audit", "export", "--format", "xml"), 64, '"xml" is not jsonl or csv'),
    (("audit", "search", "--effect", "maybe"), 64, "--effect"),
    (("audit", "search", "--since", "2026-12-01", "--until", "2026-11-01"), 64, "--from must be before --to"),
    (("audit", "pack", "--output", "p.zip", "--to", "2000-01-01"), 65, "no audit records in that time range"),
    (("audit", "prune", "--before", "soon"), 64, "--before"),
    (("audit", "verify", "--public-key", "nokey.pem"), 66, "nokey.pem: no such public key file"),
])
def test_bad_input_gets_a_clear_error_and_its_status(home: Home, args: tuple[str, ...], status: int,
                                                     words: str) -> None:
    code, _, err = home(*args)
    assert code == status, err
    assert words in " ".join(err.split())
    assert "Traceback" not in err


def test_an_unreadable_pack_is_a_data_error(home: Home, tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_text("not a pack")
    code, _, err = home("audit", "verify", "--pack", str(junk))
    assert code == 65 and "not a readable evidence pack" in err


def test_without_the_signing_key_pack_says_how_to_make_one(recorded: Home) -> None:
    (recorded.path / "audit_signing_key.pem").unlink()
    code, _, err = recorded("audit", "pack", "--output", str(recorded.path / "p.zip"))
    assert code == 66 and "no audit signing key" in err and "clearance init" in err


def test_the_installed_command_reports_a_bad_time_without_a_traceback(home: Home) -> None:
    done = subprocess.run([CLEARANCE, "audit", "search", "--since", "31/12/2026", "--home", str(home.path),
                           "--database", home.url], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 64
    assert "--since" in done.stderr and "ISO 8601" in done.stderr and "Traceback" not in done.stderr


def test_the_gateway_writer_of_a_home_signs_with_the_home_key(home: Home) -> None:
    import asyncio
    from datetime import UTC, datetime

    from audit_samples import decision

    from clearance.audit import open_writer, verify_store
    from clearance.audit.keys import Signer
    from clearance.home import Home as OpenedHome

    opened = OpenedHome.open(home.path, database_url=home.url)
    try:
        writer = open_writer(opened)

        async def main() -> None:
            await writer.start()
            try:
                for i in range(5):
                    await writer.append("decision", decision(i), at=datetime.now(UTC))
            finally:
                await writer.close()

        asyncio.run(main())
        assert opened.store.audit_head().seq == 5  # close() ingested the whole spool
        assert not any((home.path / "audit-spool").iterdir())
        key = Signer.load(home.path / "audit_signing_key.pem")
        checkpoints = opened.store.audit_checkpoints(0, 10)
        assert [(c.seq, c.key_id) for c in checkpoints] == [(5, key.key_id)]  # signed on close
        assert verify_store(opened.store, key.public_key).ok
    finally:
        opened.close()


def test_audit_commands_first_ingest_what_a_dead_gateway_left_in_its_spool(recorded: Home) -> None:
    """A gateway killed before its spool reached the store: the trail the commands read still holds it."""
    from datetime import UTC, datetime

    from audit_samples import decision

    from clearance.audit.spool import SPOOL_DIRECTORY, Spool, spool_line

    dead = Spool.create(recorded.path / SPOOL_DIRECTORY)
    for i in (7, 8):
        dead.write(spool_line("decision", decision(i, subject="mei"), at=datetime.now(UTC)))
    dead.close(remove=False)  # its process is gone: the lock went with it
    code, out, err = recorded("audit", "search", "--subject", "mei", "--json")
    assert code == 0 and [r["seq"] for r in json.loads(out)] == [4, 3]
    assert "ingested 2 audit records" in err
    assert not dead.path.exists()
    code, out, _ = recorded("audit", "verify")
    assert code == 0 and "records 1 to 4 (4) verify" in out
