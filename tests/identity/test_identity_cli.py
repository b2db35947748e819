"""`clearance keys` and `clearance tokens`, run as the installed command, on both backends."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clearance.cli.main import main
from clearance.domain.subjects import Subject
from clearance.gateway.identity import KeyRing
from clearance.store import Store
from clearance.store.credentials import OperatorRole

CLEARANCE = shutil.which("clearance", path=str(Path(sys.executable).parent)) or "clearance"


@dataclass
class Done:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(store: Store, store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Any:
    """The CLI in this process (its start-up costs seconds as a command); one test runs the real command."""
    store.import_subjects([Subject("alice", name="Alice"), Subject("bob")], actor="hr")
    monkeypatch.delenv("CLEARANCE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CLEARANCE_DEBUG", raising=False)

    def run(*args: str) -> Done:
        capsys.readouterr()
        code = main([*args, "--home", str(tmp_path), "--database", store_url])
        out, err = capsys.readouterr()
        assert "Traceback" not in err, err
        return Done(code, out, err)

    return run


def test_the_installed_command_prints_a_working_key(store: Store, store_url: str, tmp_path: Path) -> None:
    store.import_subjects([Subject("alice")], actor="hr")
    env = {k: v for k, v in os.environ.items() if k not in {"CLEARANCE_DATABASE_URL", "CLEARANCE_DEBUG"}}
    done = subprocess.run([CLEARANCE, "keys", "create", "--subject", "alice", "--json", "--home", str(tmp_path),
                           "--database", store_url], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    caller = KeyRing.load(store).api_key(json.loads(done.stdout)["key"])
    assert caller is not None and caller.subject_id == "alice"


def test_keys_create_list_revoke(cli: Any, store: Store) -> None:
    made = cli("keys", "create", "--subject", "alice", "--label", "laptop", "--json", "--actor", "officer")
    assert made.code == 0, made.stderr
    created = made.json()
    assert set(created) == {"key", "subject", "id", "label"}
    assert (created["subject"], created["label"]) == ("alice", "laptop")
    assert created["key"].startswith(f"clk_{created['id']}_")
    caller = KeyRing.load(store).api_key(created["key"])
    assert caller is not None and caller.subject_id == "alice"

    plain = cli("keys", "create", "--subject", "bob")
    assert plain.code == 0
    key = plain.stdout.strip()  # standard output holds the key alone
    assert KeyRing.load(store).api_key(key) is not None
    assert "cannot be shown again" in plain.stderr

    listed = cli("keys", "list", "--json")
    assert listed.code == 0
    rows = listed.json()
    assert [(r["id"], r["subject"], r["status"]) for r in rows] == [
        (created["id"], "alice", "active"), (key.split("_")[1], "bob", "active")]
    assert created["key"] not in listed.stdout and key not in listed.stdout
    assert rows[0]["created_by"] == "officer"
    assert [r["subject"] for r in cli("keys", "list", "--subject", "bob", "--json").json()] == ["bob"]
    table = cli("keys", "list")
    assert f"clk_{created['id']}" in table.stdout and "laptop" in table.stdout
    assert created["key"] not in table.stdout

    revoked = cli("keys", "revoke", created["id"], "--reason", "laptop stolen", "--json")
    assert revoked.code == 0
    assert revoked.json()["status"] == "revoked"
    assert KeyRing.load(store).api_key(created["key"]) is None
    assert [r["id"] for r in cli("keys", "list", "--active", "--json").json()] == [key.split("_")[1]]
    assert store.changes()[-1].summary.endswith("revoked: laptop stolen")
    again = cli("keys", "revoke", f"clk_{created['id']}")
    assert again.code == 0 and "revoked" in again.stdout


def test_keys_for_unknown_subjects(cli: Any, store: Store) -> None:
    refused = cli("keys", "create", "--subject", "carol", "--json")
    assert refused.code == 66
    assert 'no subject "carol" in the store' in refused.stderr and "--allow-unknown" in refused.stderr
    assert refused.stdout == ""
    assert store.credentials() == []
    allowed = cli("keys", "create", "--subject", "carol", "--allow-unknown", "--json")
    assert allowed.code == 0 and allowed.json()["subject"] == "carol"


@pytest.mark.parametrize(("args", "code", "message"), [
    (("keys", "revoke", "000000000000"), 66, 'no API key "000000000000" in the store'),
    (("keys", "create"), 64, "Missing option '--subject'"),
    (("keys", "create", "--subject", "alice", "--label", "a\tb"), 65, "label: control characters"),
    (("tokens", "create", "--role", "root"), 64, "'root' is not one of 'admin', 'compliance', 'auditor'"),
    (("tokens", "revoke", "nope"), 66, 'no operator token "nope"'),
])
def test_cli_errors(cli: Any, args: tuple[str, ...], code: int, message: str) -> None:
    done = cli(*args)
    assert done.code == code, done.stderr
    assert message in " ".join(done.stderr.split())


def test_tokens_create_list_revoke(cli: Any, store: Store) -> None:
    made = cli("tokens", "create", "--role", "compliance", "--label", "officer desk", "--json")
    assert made.code == 0, made.stderr
    token = made.json()
    assert set(token) == {"token", "role", "id", "label"} and token["role"] == "compliance"
    operator = KeyRing.load(store).operator(token["token"])
    assert operator is not None and operator.role is OperatorRole.COMPLIANCE
    auditor = cli("tokens", "create", "--role", "auditor").stdout.strip()
    assert auditor.startswith("clt_")
    rows = cli("tokens", "list", "--json").json()
    assert [(r["role"], r["status"]) for r in rows] == [("compliance", "active"), ("auditor", "active")]
    assert [r["role"] for r in cli("tokens", "list", "--role", "auditor", "--json").json()] == ["auditor"]
    # a token id is not an API key id, and the reverse
    assert cli("keys", "revoke", token["id"]).code == 66
    assert cli("tokens", "revoke", token["id"]).code == 0
    assert KeyRing.load(store).operator(token["token"]) is None
    assert token["token"] not in cli("tokens", "list").stdout
