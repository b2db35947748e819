"""Evidence packs: made from the store, verified by the standalone script a regulator runs, tampering caught."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from audit_samples import T0, fill, sql

from clearance.audit import Signer, write_pack
from clearance.audit.verify_pack import verify_pack
from clearance.errors import DataError
from clearance.store import Store
from clearance.store.audit_chain import canonical, record_bytes

SCRIPT_MEMBERS = {"manifest.json", "manifest.sig", "records.jsonl", "checkpoints.jsonl", "public_key.pem",
                  "verify_pack.py", "README.txt"}


def run_verifier(pack: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The verify_pack.py shipped inside the pack, run as a third party would: alone, in a bare directory."""
    bare = tmp_path / "regulator"
    bare.mkdir(exist_ok=True)
    with zipfile.ZipFile(pack) as archive:
        (bare / "verify_pack.py").write_bytes(archive.read("verify_pack.py"))
    return subprocess.run([sys.executable, "-I", str(bare / "verify_pack.py"), str(pack), *args],
                          capture_output=True, text=True, cwd=bare, timeout=120, check=False)


def rewrite(pack: Path, out: Path, member: str, change: object) -> Path:
    """A copy of `pack` with one member's bytes passed through `change`."""
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, change(data) if name == member else data)  # type: ignore[operator]
    return out


@pytest.fixture
def pack(store: Store, signer: Signer, tmp_path: Path) -> Path:
    fill(store, signer, 40, checkpoint_every=10)
    path = tmp_path / "evidence.zip"
    summary = write_pack(store, signer, path, since=T0 + timedelta(minutes=12), until=T0 + timedelta(minutes=33))
    assert (summary.first_seq, summary.last_seq, summary.records) == (13, 33, 21)
    return path


def test_a_pack_holds_what_a_third_party_needs(pack: Path, signer: Signer) -> None:
    with zipfile.ZipFile(pack) as archive:
        assert set(archive.namelist()) == SCRIPT_MEMBERS
        manifest = json.loads(archive.read("manifest.json"))
        lines = archive.read("records.jsonl").decode().splitlines()
        assert archive.read("public_key.pem").decode() == signer.public_pem()
        checkpoints = [json.loads(line) for line in archive.read("checkpoints.jsonl").decode().splitlines()]
    assert manifest["range"]["first_seq"] == 13 and manifest["range"]["last_seq"] == 33
    assert manifest["counts"]["records"] == len(lines) == 21
    assert manifest["counts"]["decision"] + manifest["counts"]["completion"] == 21
    assert manifest["first_hash"] == json.loads(lines[0])["hash"]
    assert manifest["last_hash"] == json.loads(lines[-1])["hash"]
    assert [c["seq"] for c in checkpoints] == [12, 20, 30, 33]  # anchors at both ends, signed when packed


def test_the_packed_hash_is_the_documented_encoding(pack: Path) -> None:
    with zipfile.ZipFile(pack) as archive:
        first = json.loads(archive.read("records.jsonl").decode().splitlines()[0])
    import hashlib

    text = canonical(first["payload"])
    body = record_bytes(first["seq"], first["prev"], first["at"], first["kind"], text)
    assert body == canonical({k: first[k] for k in ("seq", "prev", "at", "kind", "payload")}).encode()
    assert hashlib.sha256(body).hexdigest() == first["hash"]


def test_the_shipped_script_verifies_a_good_pack(pack: Path, tmp_path: Path, signer: Signer) -> None:
    done = run_verifier(pack, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: records 13 to 33 (21) verify" in done.stdout
    key = tmp_path / "operator.pem"
    key.write_text(signer.public_pem())
    done = run_verifier(pack, tmp_path, "--public-key", str(key), "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["ok"] is True


def _change_record(seq: int, change: object) -> object:
    def apply(data: bytes) -> bytes:
        out = []
        for line in data.decode().splitlines():
            record = json.loads(line)
            if record["seq"] == seq:
                change(record)  # type: ignore[operator]
            out.append(json.dumps(record, ensure_ascii=False))
        return ("\n".join(out) + "\n").encode()
    return apply


@pytest.mark.parametrize(("name", "member", "change", "seq", "words"), [
    ("payload", "records.jsonl", _change_record(17, lambda r: r["payload"].update(status=500)), 17, "changed"),
    ("deleted", "records.jsonl",
     lambda d: b"".join(line + b"\n" for line in d.splitlines() if b'"seq":20}' not in line), 20, "missing"),
    ("time", "records.jsonl", _change_record(25, lambda r: r.update(at="2020-01-01T00:00:00.000000Z")), 25,
     "changed"),
    ("signature", "checkpoints.jsonl",
     lambda d: d.replace(json.loads(d.splitlines()[1])["signature"].encode(), b"A" * 88), 20, "signature"),
])
def test_the_shipped_script_rejects_a_tampered_pack(pack: Path, tmp_path: Path, name: str, member: str,
                                                    change: object, seq: int, words: str) -> None:
    tampered = rewrite(pack, tmp_path / f"{name}.zip", member, change)
    done = run_verifier(tampered, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    report = verify_pack(tampered)
    assert not report.ok
    problems = [s for s, _ in report.problems if s != 0]
    assert problems[0] == seq, report.problems
    assert any(words in p for s, p in report.problems if s == seq), report.problems
    assert f"FAILED at record {seq}" in done.stdout or "FAILED at pack" in done.stdout


def test_a_changed_file_is_caught_by_the_manifest(pack: Path, tmp_path: Path) -> None:
    tampered = rewrite(pack, tmp_path / "readme.zip", "README.txt", lambda d: d + b"edited\n")
    report = verify_pack(tampered)
    assert [p for s, p in report.problems if s == 0] == [report.problems[0][1]]
    assert "README.txt: SHA-256" in report.problems[0][1]


def test_another_operator_key_rejects_the_pack(pack: Path, tmp_path: Path) -> None:
    key = tmp_path / "other.pem"
    key.write_text(Signer.generate().public_pem())
    done = run_verifier(pack, tmp_path, "--public-key", str(key))
    assert done.returncode == 1
    assert "not by the given key" in done.stdout


def test_an_unreadable_pack_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    script = Path(__file__).parents[2] / "src" / "clearance" / "audit" / "verify_pack.py"
    for target in (junk, tmp_path / "missing.zip"):
        done = subprocess.run([sys.executable, "-I", str(script), str(target)], capture_output=True, text=True,
                              timeout=60, check=False)
        assert done.returncode == 2
        assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_a_log_that_does_not_verify_is_not_packed(store: Store, signer: Signer, store_url: str,
                                                  tmp_path: Path) -> None:
    fill(store, signer, 20)
    sql(store_url, "UPDATE audit_records SET payload = '{}' WHERE seq = 5")
    with pytest.raises(DataError, match="does not verify at record 5"):
        write_pack(store, signer, tmp_path / "p.zip")
    assert not (tmp_path / "p.zip").exists()


def test_an_empty_range_is_a_clear_error(store: Store, signer: Signer, tmp_path: Path) -> None:
    fill(store, signer, 5)
    with pytest.raises(DataError, match="no audit records in that time range"):
        write_pack(store, signer, tmp_path / "p.zip", since=T0 + timedelta(days=30))


def test_a_pack_cut_short_with_its_manifest_edited_to_match_is_caught(pack: Path, tmp_path: Path) -> None:
    """Drop the records after the checkpoint at 30 and rewrite the manifest's range, counts and digests."""
    import hashlib

    with zipfile.ZipFile(pack) as src:
        members = {name: src.read(name) for name in src.namelist()}
    lines = [line for line in members["records.jsonl"].splitlines() if json.loads(line)["seq"] <= 30]
    members["records.jsonl"] = b"".join(line + b"\n" for line in lines)
    members["checkpoints.jsonl"] = b"".join(line + b"\n" for line in members["checkpoints.jsonl"].splitlines()
                                            if json.loads(line)["seq"] <= 30)
    manifest = json.loads(members["manifest.json"])
    manifest["range"]["last_seq"] = 30
    manifest["counts"]["records"] = len(lines)
    manifest["last_hash"] = json.loads(lines[-1])["hash"]
    for name in ("records.jsonl", "checkpoints.jsonl"):
        manifest["files"][name] = hashlib.sha256(members[name]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    cut = tmp_path / "cut.zip"
    with zipfile.ZipFile(cut, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    report = verify_pack(cut)
    assert [p for _, p in report.problems] == [report.problems[0][1]]
    assert "manifest.sig" in report.problems[0][1]
    assert run_verifier(cut, tmp_path).returncode == 1
