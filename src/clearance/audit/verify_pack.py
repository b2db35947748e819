#!/usr/bin/env python3
"""Verify a Clearance audit evidence pack with nothing but Python 3.11+ and `cryptography`.

    python verify_pack.py PACK.zip [--public-key KEY.pem] [--json]

Exit status: 0 the pack verifies; 1 it does not (the first bad record is named); 2 the pack cannot
be read.  Use --public-key with the key you obtained from the log's operator by another channel:
the key inside the pack proves only that the pack is self-consistent.

What is checked (the encoding is spelled out in docs/audit.md and below):
* manifest.json's Ed25519 signature (manifest.sig), every file's SHA-256 against it, and its range,
  counts and first/last hash against the records (so a pack cannot be cut short unnoticed);
* each record's hash: SHA-256 of the UTF-8 canonical JSON (keys sorted, separators "," and ":",
  non-ASCII as is) of {"at", "kind", "payload", "prev", "seq"};
* each record's `prev` is the hash of the record before it, and seqs follow without a gap;
* the first record links to the genesis hash (64 zeros) or to a signed checkpoint just before it;
* every checkpoint: Ed25519 signature over the canonical JSON of
  {"at", "hash", "key", "seq", "type": "clearance.audit.checkpoint/1"}, and it names the hash the
  record at its seq really has; the last record is covered by one.

This file is also imported by Clearance itself (`clearance audit verify` runs the same checks
over the database), so the verifier a regulator runs is the one Clearance is tested with.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = "0" * 64
CHECKPOINT_TYPE = "clearance.audit.checkpoint/1"
PACK_FORMAT = "clearance.audit.pack/1"
MAX_PROBLEMS = 20


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def record_hash(seq: int, prev: str, at: str, kind: str, payload: Any) -> str:
    body = {"at": at, "kind": kind, "payload": payload, "prev": prev, "seq": seq}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def checkpoint_message(seq: int, digest: str, at: str, key: str) -> bytes:
    return canonical({"at": at, "hash": digest, "key": key, "seq": seq, "type": CHECKPOINT_TYPE}).encode("utf-8")


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str


@dataclass
class Report:
    """The outcome: `problems` in seq order, the first one first; ok when there are none."""

    first_seq: int | None = None
    last_seq: int | None = None
    records: int = 0
    checkpoints: int = 0
    anchored_through: int = 0  # the last seq a valid checkpoint covers
    problems: list[tuple[int, str]] = field(default_factory=list)
    more_problems: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, seq: int, problem: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((seq, problem))
        else:
            self.more_problems = True

    def to_json(self) -> dict[str, Any]:
        last = self.last_seq or 0
        return {
            "ok": self.ok, "first_seq": self.first_seq, "last_seq": self.last_seq, "records": self.records,
            "checkpoints": self.checkpoints, "anchored_through": self.anchored_through,
            "unanchored": max(0, last - self.anchored_through) if self.last_seq is not None else 0,
            "problems": [{"seq": seq, "problem": text} for seq, text in self.problems],
            "more_problems": self.more_problems,
        }


class ChainVerifier:
    """Checks records fed in seq order, and the checkpoints among them.

    `start_prev` is what the first record must link to, when something trustworthy says so (the
    genesis hash, or the stored hash of the record before a range); otherwise a checkpoint at
    first-1 must vouch for it.
    """

    def __init__(self, public_key: Ed25519PublicKey | None, checkpoints: Iterable[Checkpoint], *,
                 start_prev: str | None = None) -> None:
        self.report = Report()
        self._key = public_key
        self._key_id = key_id(public_key) if public_key is not None else None
        self._checkpoints = {c.seq: c for c in checkpoints}
        self.report.checkpoints = len(self._checkpoints)
        self._start_prev = start_prev
        self._expected: int | None = None
        self._prev: str | None = None
        self._last_valid_checkpoint = 0

    def _signed(self, checkpoint: Checkpoint) -> str | None:
        """Why `checkpoint`'s signature does not hold, or None when it does."""
        if self._key is None:
            return "cannot be checked: no public key was given"
        if checkpoint.key_id != self._key_id:
            return f"signed by key {checkpoint.key_id}, not by the given key {self._key_id}"
        try:
            signature = base64.b64decode(checkpoint.signature, validate=True)
            self._key.verify(signature, checkpoint_message(checkpoint.seq, checkpoint.hash, checkpoint.at,
                                                           checkpoint.key_id))
        except (InvalidSignature, binascii.Error, ValueError):
            return "signature does not verify: the checkpoint was edited, or not signed by this key"
        return None

    @property
    def last_hash(self) -> str | None:
        """The stored hash of the last record fed."""
        return self._prev

    def begin_at(self, seq: int) -> None:
        """Expect the first record at `seq` (an empty range after a prune: only the anchor is checked)."""
        self._begin(seq)
        self._expected = seq
        self.report.first_seq = None

    def _begin(self, seq: int) -> None:
        self.report.first_seq = seq
        if seq == 1:
            self._prev = GENESIS if self._start_prev is None else self._start_prev
            return
        anchor = self._checkpoints.pop(seq - 1, None)
        if anchor is not None:
            why = self._signed(anchor)
            if why is not None:
                self.report.add(seq - 1, f"checkpoint anchoring record {seq}: {why}")
            else:
                self._last_valid_checkpoint = seq - 1
            if self._start_prev is not None and self._start_prev != anchor.hash:
                self.report.add(seq - 1, f"checkpoint at {seq - 1} names hash {anchor.hash[:16]}…, but record "
                                         f"{seq - 1} has {self._start_prev[:16]}…")
            self._prev = anchor.hash
        elif self._start_prev is not None:
            self._prev = self._start_prev
        else:
            self.report.add(seq - 1, f"record {seq - 1} (and any before it) is missing, and no signed checkpoint "
                                     f"at {seq - 1} anchors record {seq}, the first that remains (deleted)")
            self._prev = None

    def feed(self, seq: int, prev: str, at: str, kind: str, payload: Any, stored_hash: str,
             *, payload_text: str | None = None) -> None:
        """One record; `payload_text` (the stored canonical text) is hashed as is when given."""
        if self._expected is None:
            self._begin(seq)
            self._expected = seq
        problem = None
        if seq < self._expected:
            problem = f"out of order: seq {seq} after {self._expected - 1} (duplicated or reordered)"
        elif seq > self._expected:
            gap = f"{self._expected}" if seq == self._expected + 1 else f"{self._expected} to {seq - 1}"
            self.report.add(self._expected, f"record{'s' if seq > self._expected + 1 else ''} {gap} "
                                            "missing (deleted)")
        if problem is None:
            if payload_text is not None:
                body = ('{"at":' + json.dumps(at) + ',"kind":' + json.dumps(kind) + ',"payload":' + payload_text
                        + ',"prev":' + json.dumps(prev) + ',"seq":' + str(seq) + "}")
                digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
            else:
                digest = record_hash(seq, prev, at, kind, payload)
            if digest != stored_hash:
                problem = "contents do not match the record's hash: changed after it was written"
            elif seq == self._expected and self._prev is not None and prev != self._prev:
                problem = (f"does not link to record {seq - 1} (prev {prev[:16]}…, but record {seq - 1} "
                           f"hashes to {self._prev[:16]}…): a record was inserted, replaced or moved here")
        if problem is not None:
            self.report.add(seq, problem)
        self._check_checkpoint(seq, stored_hash)
        self.report.records += 1
        self.report.last_seq = seq
        self._expected = max(self._expected, seq + 1)
        self._prev = stored_hash

    def _check_checkpoint(self, seq: int, stored_hash: str) -> None:
        checkpoint = self._checkpoints.pop(seq, None)
        if checkpoint is None:
            return
        why = self._signed(checkpoint)
        if why is not None:
            self.report.add(seq, f"checkpoint at {seq}: {why}")
        elif checkpoint.hash != stored_hash:
            self.report.add(seq, f"record {seq} is not the record the signed checkpoint at {seq} vouches for: "
                                 f"the chain after record {self._last_valid_checkpoint} was rewritten")
        else:
            self._last_valid_checkpoint = seq

    def finish(self, *, last_expected: int | None = None) -> Report:
        """Close the walk; `last_expected` is the seq the log says it ends at (records cut off the end)."""
        if last_expected is not None:
            last = self.report.last_seq or 0
            if last_expected > last:
                self.report.add(last + 1, f"records {last + 1} to {last_expected} missing from the end (deleted)")
            elif last_expected < last:
                self.report.add(last_expected + 1, f"records after {last_expected} are beyond the end the log "
                                                   "recorded (added outside the log)")
        for seq in sorted(self._checkpoints):
            if self.report.first_seq is not None and seq >= self.report.first_seq:
                self.report.add(seq, f"checkpoint at {seq} names a record that is not there")
        self.report.anchored_through = self._last_valid_checkpoint
        self.report.problems.sort(key=lambda p: p[0])
        return self.report


# The pack


class PackError(Exception):
    """The pack cannot be read at all."""


def read_members(path: Path) -> dict[str, bytes]:
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
        with tarfile.open(path, "r:*") as tar:
            out: dict[str, bytes] = {}
            for member in tar.getmembers():
                handle = tar.extractfile(member) if member.isfile() else None
                if handle is not None:
                    out[member.name] = handle.read()
            return out
    except FileNotFoundError:
        raise PackError(f"{path}: no such file") from None
    except (OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
        raise PackError(f"{path}: not a zip or tar evidence pack ({exc})") from None


def _lines(members: dict[str, bytes], name: str) -> list[dict[str, Any]]:
    if name not in members:
        raise PackError(f"the pack has no {name}")
    out = []
    for number, line in enumerate(io.StringIO(members[name].decode("utf-8")), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PackError(f"{name}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(value, dict):
            raise PackError(f"{name}:{number}: not a JSON object")
        out.append(value)
    return out


def _section(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    value = manifest.get(name)
    return value if isinstance(value, dict) else {}


def verify_pack(path: Path, public_key_pem: bytes | None = None) -> Report:
    """Every check above, over the pack at `path`; PackError when it cannot be read."""
    members = read_members(path)
    for required in ("manifest.json", "records.jsonl", "checkpoints.jsonl", "public_key.pem"):
        if required not in members:
            raise PackError(f"the pack has no {required}")
    try:
        manifest = json.loads(members["manifest.json"])
        key = serialization.load_pem_public_key(public_key_pem or members["public_key.pem"])
    except (ValueError, UnicodeDecodeError) as exc:
        raise PackError(f"manifest.json or the public key cannot be read ({exc})") from None
    if not isinstance(key, Ed25519PublicKey) or not isinstance(manifest, dict):
        raise PackError("the public key is not Ed25519, or manifest.json is not an object")
    report_problems: list[tuple[int, str]] = []
    try:
        key.verify(base64.b64decode(members.get("manifest.sig", b"").strip(), validate=True), members["manifest.json"])
    except (InvalidSignature, binascii.Error, ValueError):
        report_problems.append((0, "manifest.sig: the manifest's signature is missing or does not verify "
                                   "(the manifest was edited, or signed by another key)"))
    files = _section(manifest, "files")
    for name, expected in sorted(files.items()):
        actual = hashlib.sha256(members[name]).hexdigest() if name in members else "(missing)"
        if actual != expected:
            report_problems.append((0, f"{name}: SHA-256 {actual[:16]}… differs from the manifest's"))
    try:
        checkpoints = [Checkpoint(int(c["seq"]), str(c["hash"]), str(c["at"]), str(c["key_id"]),
                                  str(c["signature"])) for c in _lines(members, "checkpoints.jsonl")]
        records = _lines(members, "records.jsonl")
        verifier = ChainVerifier(key, checkpoints)
        for r in records:
            verifier.feed(int(r["seq"]), str(r["prev"]), str(r["at"]), str(r["kind"]), r["payload"], str(r["hash"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise PackError(f"a record or checkpoint lacks a field or has a wrong one ({exc})") from None
    rng = _section(manifest, "range")
    report = verifier.finish(last_expected=rng.get("last_seq"))
    if records:
        if rng.get("first_seq") != records[0]["seq"]:
            report.add(int(records[0]["seq"]), "the manifest's first_seq is not the first record's")
        if manifest.get("first_hash") != records[0]["hash"] or manifest.get("last_hash") != records[-1]["hash"]:
            report.add(int(records[-1]["seq"]), "the manifest's first or last hash is not the records'")
        last = int(records[-1]["seq"])
        if report.anchored_through < last:
            report.add(last, f"records {report.anchored_through + 1} to {last} are not covered by a signed checkpoint")
    counts = _section(manifest, "counts")
    if counts.get("records") != len(records):
        report.add(0, f"the manifest counts {counts.get('records')} records, the pack holds {len(records)}")
    for problem in report_problems:
        report.add(*problem)
    report.problems.sort(key=lambda p: p[0])
    return report


def describe(report: Report) -> str:
    lines = []
    if report.ok:
        lines.append(f"OK: records {report.first_seq} to {report.last_seq} ({report.records}) verify; "
                     f"{report.checkpoints} signed checkpoints, the last at {report.anchored_through}")
    else:
        seq, problem = report.problems[0]
        where = f"record {seq}" if seq else "pack"
        lines.append(f"FAILED at {where}: {problem}")
        lines.extend(f"  also {'record ' + str(s) if s else 'pack'}: {p}" for s, p in report.problems[1:])
        if report.more_problems:
            lines.append("  (more problems not shown)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Clearance audit evidence pack.")
    parser.add_argument("pack", type=Path)
    parser.add_argument("--public-key", type=Path, help="the operator's public key (PEM), got separately")
    parser.add_argument("--json", action="store_true", help="the report as JSON")
    args = parser.parse_args(argv)
    try:
        key = args.public_key.read_bytes() if args.public_key else None
        report = verify_pack(args.pack, key)
    except (PackError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_json(), indent=2) if args.json else describe(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
