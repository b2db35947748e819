"""The gateway's audit spool: a record is durable once its line is in a local file, not once a
database transaction has committed.

Waiting for a commit on every request put a database round trip (and two thread hand-offs) in
front of every forwarded prompt; the spool puts one `write(2)` there instead.  Each gateway
process appends its records to a file of its own in `<home>/audit-spool/`, holding an exclusive
`flock` on it for as long as it lives, and its ingester (audit/ingester_process.py, a child process)
moves them into the hash-chained store in group commits, recording in the same transaction how far
into the file it got (`audit_spools`, checked against where the previous batch ended, so no part of
a spool is ever linked twice).  The store stays the one chain; the spool only carries records
across a crash:

- a `write` that returned is in the kernel's page cache and survives the process being killed
  (SIGKILL included); `audit.fsync = true` also survives the machine losing power, at the cost of
  an fsync per record;
- a process that finds a spool file whose lock it can take (its owner is dead) ingests what the
  store does not hold yet, from the recorded offset on, and then deletes it: the gateway does so
  when it starts, and so does every `clearance audit` command before it reads the trail (the dead
  owner's ingester may still be at it: the offset check lets each batch in once);
- a last line without its newline was being written when the process died: no caller saw an
  answer that depended on it, so it is ignored.

A line is `KIND \\t AT \\t PAYLOAD \\n`, PAYLOAD being the record's JSON (which escapes tabs and
newlines); it is read back into the entry `AuditEntry.of` would make of the same record, canonical
payload text included.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from clearance.errors import DataError, StoreUnavailable
from clearance.store.audit_chain import at_text, parse_at_text, parse_canonical
from clearance.store.audit_values import AuditEntry, check_payload, search_columns

log = logging.getLogger(__name__)

SPOOL_DIRECTORY = "audit-spool"
_SUFFIX = ".spool"
_READ_BYTES = 1 << 20
_STRICT = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def spool_line(kind: str, payload: dict[str, Any], *, at: datetime) -> bytes:
    """The spool line of a record (DataError for a payload `AuditEntry.of` would refuse).

    Written on every request, so the payload is encoded by orjson, about fifteen times faster than
    the standard library; the ingester parses the line and makes the canonical text that is hashed
    (`audit_chain.canonical`, the published encoding), so orjson never decides what is hashed.
    Where orjson is laxer than `canonical` it is made strict (dataclasses and datetimes are
    refused, not encoded); NaN and infinities, which JSON cannot hold, arrive as null."""
    check_payload(kind, payload)
    try:
        text = orjson.dumps(payload, option=_STRICT)
    except TypeError as exc:
        raise DataError(f"audit payload is not plain JSON: {exc}") from None
    return b"%s\t%s\t%s\n" % (kind.encode(), at_text(at).encode(), text)


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

    def write(self, line: bytes) -> int:
        """Append a line (`spool_line`); the offset just past it.  Raises StoreUnavailable when it cannot."""
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


class SpoolTail:
    """Reads a spool's whole lines from a given offset on, while its writer may still be adding more.

    `offset` is where the next batch starts: `peek` returns what follows it without moving it,
    `advance` moves it once the batch is in the store, and `rewind` puts it back where the store
    says it is (after a failed or contested append)."""

    def __init__(self, path: Path, offset: int = 0) -> None:
        self.path = path
        self.name = path.name
        self.offset = offset
        self._fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        self._buffer = b""  # the bytes from `offset` on that have been read

    def peek(self, limit: int) -> list[SpooledEntry]:
        """Up to `limit` whole lines from `offset` on, with the offsets just past them."""
        entries: list[SpooledEntry] = []
        start = 0
        while len(entries) < limit:
            end = self._buffer.find(b"\n", start) + 1
            if not end:  # read more, if the writer has written more
                chunk = os.pread(self._fd, _READ_BYTES, self.offset + len(self._buffer))
                if not chunk:
                    break
                self._buffer += chunk
                continue
            entries.append(SpooledEntry(_entry(self._buffer[start:end], self.path, self.offset + start),
                                        self.offset + end))
            start = end
        return entries

    @property
    def partial(self) -> int:
        """Bytes read past the last whole line: a line being written, or torn if its writer is dead."""
        return len(self._buffer) - (self._buffer.rfind(b"\n") + 1)

    def advance(self, end: int) -> None:
        self._buffer = self._buffer[end - self.offset:]
        self.offset = end

    def rewind(self, offset: int) -> None:
        self._buffer = b""
        self.offset = offset

    def close(self) -> None:
        os.close(self._fd)

    def remove(self) -> None:
        """Close and delete a spool whose writer is done with it (a torn last line is only logged)."""
        if self.partial:
            log.warning("%s: ignoring a torn last line at byte %d (its writer died mid-write)", self.path, self.offset)
        self.close()
        self.path.unlink(missing_ok=True)


def _entry(raw: bytes, path: Path, offset: int) -> AuditEntry:
    try:
        kind, at, text = raw[:-1].split(b"\t", 2)
        kind_name, instant = kind.decode("utf-8"), at.decode("utf-8")
        payload, payload_text = parse_canonical(text)
        return AuditEntry(kind_name, parse_at_text(instant), instant, payload_text, search_columns(kind_name, payload))
    except (UnicodeDecodeError, ValueError, DataError) as exc:
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
