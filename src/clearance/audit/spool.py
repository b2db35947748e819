"""The gateway's audit spool: a record is durable once its line is in a local file, not once a
database transaction has committed.

Waiting for a commit on every request put a database round trip (and two thread hand-offs) in
front of every forwarded prompt; the spool puts one `write(2)` there instead.  Each gateway
process appends its records to a file of its own in `<home>/audit-spool/`, holding an exclusive
`flock` on it for as long as it lives, and its writer thread moves them into the hash-chained store
in group commits, recording in the same transaction how far into the file it got
(`audit_spools`).  The store stays the one chain; the spool only carries records across a crash:

- a `write` that returned is in the kernel's page cache and survives the process being killed
  (SIGKILL included); `audit.fsync = true` also survives the machine losing power, at the cost of
  an fsync per record;
- a process that finds a spool file whose lock it can take (its owner is dead) ingests what the
  store does not hold yet, from the recorded offset on, and then deletes it: the gateway does so
  when it starts, and so does every `clearance audit` command before it reads the trail;
- a last line without its newline was being written when the process died: no caller saw an
  answer that depended on it, so it is ignored.

A line is `KIND \\t AT \\t PAYLOAD \\n`, PAYLOAD being the entry's canonical JSON (which escapes
tabs and newlines), so a line is read back into the very entry that was written.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clearance.errors import DataError, StoreUnavailable
from clearance.store.audit_chain import parse_at_text
from clearance.store.audit_values import AuditEntry, search_columns

log = logging.getLogger(__name__)

SPOOL_DIRECTORY = "audit-spool"
_SUFFIX = ".spool"


@dataclass(frozen=True)
class SpooledEntry:
    """An entry read back from a spool, with the offset just past its line."""

    entry: AuditEntry
    end: int


class Spool:
    """One process's spool file, locked for as long as it is open."""

    def __init__(self, path: Path, fd: int, *, fsync: bool) -> None:
        self.path = path
        self.name = path.name
        self._fd = fd
        self._fsync = fsync
        self._offset = 0

    @classmethod
    def create(cls, directory: Path, *, fsync: bool = False) -> Spool:
        """A new, locked spool file (locked before it gets the name other processes look for)."""
        directory.mkdir(parents=True, exist_ok=True)
        # Named so that sorting names sorts creation times: recovery ingests a process's rotated spools in order.
        name = f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        temporary = directory / f".{name}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path = directory / f"{name}{_SUFFIX}"
            temporary.rename(path)
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, fsync=fsync)

    def write(self, entry: AuditEntry) -> int:
        """Append the entry's line; the offset just past it.  Raises StoreUnavailable when it cannot."""
        line = f"{entry.kind}\t{entry.at_text}\t{entry.payload}\n".encode()
        try:
            written = os.write(self._fd, line)
            if written != len(line):  # a full disk mid-line: what is there is torn, and ignored
                raise OSError(f"wrote {written} of {len(line)} bytes")
            if self._fsync:
                os.fsync(self._fd)
        except OSError as exc:
            raise StoreUnavailable(f"the audit spool {self.path} cannot be written: {exc}") from None
        self._offset += written
        return self._offset

    @property
    def written(self) -> int:
        """The offset just past the last line written."""
        return self._offset

    def close(self, *, remove: bool) -> None:
        """Unlock; with `remove` (every line is in the store) the file goes too."""
        if remove:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        os.close(self._fd)


def read_spool(path: Path, start: int) -> Iterator[SpooledEntry]:
    """The whole lines of a spool from byte `start` on; a torn last line is left out."""
    with path.open("rb") as file:
        file.seek(start)
        offset = start
        for raw in file:
            if not raw.endswith(b"\n"):
                log.warning("%s: ignoring a torn last line at byte %d (its writer died mid-write)", path, offset)
                return
            entry = _entry(raw, path, offset)
            offset += len(raw)
            yield SpooledEntry(entry, offset)


def _entry(raw: bytes, path: Path, offset: int) -> AuditEntry:
    try:
        kind, at, payload = raw[:-1].decode("utf-8").split("\t", 2)
        return AuditEntry(kind, parse_at_text(at), at, payload, search_columns(kind, json.loads(payload)))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"the line at byte {offset} is not an audit spool line: {exc}", source=str(path)) from None


def orphans(directory: Path) -> Iterator[tuple[Path, int]]:
    """Spool files whose owner is gone, each locked (by an open descriptor) while the caller works."""
    if not directory.is_dir():
        return
    for path in sorted(directory.glob(f"*{_SUFFIX}")):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:  # another process recovered it meanwhile
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # its owner (or another recoverer) is alive and holds it
            os.close(fd)
            continue
        try:
            if path.exists():
                yield path, fd
        finally:
            os.close(fd)
