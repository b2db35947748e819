"""Evidence packs: a zip a third party verifies without Clearance, its database or its operator.

    manifest.json      format, range (seqs and times), counts, first/last hash, SHA-256 of every file
    manifest.sig       Ed25519 signature (base64) over manifest.json's bytes
    records.jsonl      one record a line: {"seq", "at", "kind", "prev", "hash", "payload"}
    checkpoints.jsonl  the signed checkpoints from just before the first record to the last one
    public_key.pem     the key that signed them (check it against one obtained separately)
    verify_pack.py     the verifier: Python 3.11+ and `cryptography` only
    README.txt         how to run it

A pack covers a contiguous run of seqs (the first record at or after --from up to the last before
--to), so the chain inside it is whole.  Both its ends are anchored: a signed checkpoint at the
record before the first (unless the first is record 1) and at the last, signed now if the log had
none there.  The range is verified in the database before anything is written: a pack never
vouches for records that already fail.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from clearance.audit.keys import Signer
from clearance.audit.verify import PAGE, verify_store
from clearance.audit.verify_pack import PACK_FORMAT
from clearance.errors import DataError
from clearance.store import Store
from clearance.store.audit_chain import at_text
from clearance.store.audit_values import COMPLETION, DECISION

_README = """Clearance audit evidence pack

Verify it with Python 3.11+ and the `cryptography` package (pip install cryptography):

    python verify_pack.py {name}
    python verify_pack.py {name} --public-key OPERATOR_KEY.pem   # the key you got from the operator

Exit status 0: every record and checkpoint verifies.  1: the first bad record is named.
The encoding that is hashed and signed is described at the top of verify_pack.py.
"""


@dataclass(frozen=True)
class PackSummary:
    path: Path
    first_seq: int
    last_seq: int
    records: int
    checkpoints: int

    def to_json(self) -> dict[str, Any]:
        return {"pack": str(self.path), "first_seq": self.first_seq, "last_seq": self.last_seq,
                "records": self.records, "checkpoints": self.checkpoints}


def _line(value: Any) -> bytes:
    return (json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")


def write_pack(store: Store, signer: Signer, output: Path, *, since: datetime | None = None,
               until: datetime | None = None) -> PackSummary:
    """Write the pack of records since <= at < until to `output` (a .zip)."""
    found = store.audit_seq_range(since, until)
    if found is None:
        raise DataError("no audit records in that time range: nothing to pack")
    first, last = found
    report = verify_store(store, signer.public_key, first=first, last=last)
    if not report.ok:
        seq, problem = report.problems[0]
        raise DataError(f"the audit log does not verify at record {seq}: {problem}; "
                        "no pack was written (run `clearance audit verify`)")
    if first > 1:
        store.audit_checkpoint(signer, seq=first - 1)
    store.audit_checkpoint(signer, seq=last)
    checkpoints = store.audit_checkpoints(first - 1, last)
    digests: dict[str, str] = {}
    counts = {"records": 0, DECISION: 0, COMPLETION: 0, "checkpoints": len(checkpoints)}
    first_hash = last_hash = ""
    times: list[str] = []
    try:
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            digest = hashlib.sha256()
            with archive.open("records.jsonl", "w") as out:
                cursor = first
                while cursor <= last:
                    page = store.audit_records(cursor, last, limit=PAGE)
                    for record in page:
                        data = _line(record.to_json())
                        digest.update(data)
                        out.write(data)
                        counts["records"] += 1
                        counts[record.kind] = counts.get(record.kind, 0) + 1
                        first_hash = first_hash or record.hash
                        last_hash = record.hash
                        times = [times[0] if times else record.at_text, record.at_text]
                    if len(page) < PAGE:
                        break
                    cursor = page[-1].seq + 1
            digests["records.jsonl"] = digest.hexdigest()
            verifier = resources.files("clearance.audit").joinpath("verify_pack.py").read_bytes()
            members = {
                "checkpoints.jsonl": b"".join(_line(c.to_json()) for c in checkpoints),
                "public_key.pem": signer.public_pem().encode("ascii"),
                "verify_pack.py": verifier,
                "README.txt": _README.format(name=output.name).encode("utf-8"),
            }
            for name, data in members.items():
                archive.writestr(name, data)
                digests[name] = hashlib.sha256(data).hexdigest()
            manifest = {
                "format": PACK_FORMAT,
                "created_at": at_text(datetime.now(UTC)),
                "range": {"first_seq": first, "last_seq": last, "since": at_text(since) if since else None,
                          "until": at_text(until) if until else None,
                          "first_at": times[0] if times else None, "last_at": times[-1] if times else None},
                "counts": counts,
                "first_hash": first_hash,
                "last_hash": last_hash,
                "key_id": signer.key_id,
                "files": digests,
            }
            manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
            archive.writestr("manifest.json", manifest_bytes)
            # The manifest names the range and every file's digest: signed, nobody can cut the pack short.
            archive.writestr("manifest.sig", base64.b64encode(signer.sign(manifest_bytes)) + b"\n")
    except OSError as exc:
        raise DataError(f"cannot write the pack: {exc.strerror or exc}", source=str(output)) from None
    return PackSummary(output, first, last, counts["records"], len(checkpoints))
