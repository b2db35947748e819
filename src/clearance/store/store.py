"""The store: directives, subjects and licenses, with a revision counter and a change log.

One object per process, safe to share between threads (it holds only an engine, whose pool hands
each call its own connection).  Every method is one transaction: a write either happens whole,
with its revision and change-log entries, or not at all; a read sees one committed state.
Database failures leave as `clearance.errors` (StoreUnavailable, Conflict, NotFound).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, make_url

from clearance.domain.directives import Directive
from clearance.domain.licenses import Holder, License, LicenseStatus
from clearance.domain.screening import ScreeningResult, ScreeningStatus
from clearance.domain.subjects import Subject
from clearance.screening.entries import ListEntry, ParsedList
from clearance.screening.matcher import DEFAULT_THRESHOLD
from clearance.store import audit as audit_rows
from clearance.store import changelog
from clearance.store import credentials as credential_rows
from clearance.store import directives as directive_rows
from clearance.store import licenses as license_rows
from clearance.store import migrate as schema
from clearance.store import screening as screening_rows
from clearance.store import subjects as subject_rows
from clearance.store.audit_values import (
    AuditEntry,
    AuditHead,
    AuditQuery,
    AuditRecord,
    Checkpoint,
    CheckpointSigner,
    PruneResult,
    SpoolMark,
)
from clearance.store.changelog import Writer
from clearance.store.engine import WRITE_OPTIONS, build_engine, describe, normalize_url
from clearance.store.failures import translated
from clearance.store.results import ApplyResult, Change, DirectiveSource, ImportResult

T = TypeVar("T")


class Store:
    """Persistence for everything a decision depends on, on SQLite or PostgreSQL."""

    def __init__(self, url: str) -> None:
        """Create the engine for `url`; nothing is connected until the first call."""
        normalized = normalize_url(url)
        self._url = url
        self._shown = describe(make_url(url))  # as the user wrote it, without the password
        self._engine = build_engine(normalized)
        self._writer = self._engine.execution_options(**WRITE_OPTIONS)

    @property
    def url(self) -> str:
        """The URL this store was opened with, password included: for opening the same store in a
        child process (the gateway's audit ingester), never for showing (`repr(store)` hides it)."""
        return self._url

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """A store that is reachable and at the schema this version needs.

        With `migrate` the schema is brought up to date; without, an out-of-date schema is
        StoreUnavailable, for replicas that must never change the schema themselves.
        """
        store = cls(url)
        try:
            if migrate:
                store.migrate()
            else:
                with translated(store._shown):
                    schema.ensure_current(store._engine)
        except BaseException:
            store.close()
            raise
        return store

    def migrate(self) -> None:
        with translated(self._shown):
            schema.upgrade(self._engine)

    def close(self) -> None:
        self._engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self._shown!r})"

    # The change counter and the log

    def revision(self) -> int:
        """Strictly increases with every committed write; replicas poll it to reload their snapshot."""
        return self._read(changelog.current_revision)

    def changes(self, since: int = 0, *, ref: str | None = None) -> list[Change]:
        """The change log after revision `since`, oldest first; `ref` narrows it to one directive or license."""
        return self._read(lambda conn: changelog.read_changes(conn, since, ref))

    # Directives

    def apply_directives(self, directives: Sequence[Directive], *, source: str, source_text: str,
                         actor: str) -> ApplyResult:
        """Create or replace directives by id, all in one transaction."""
        with self._write(actor) as writer:
            return directive_rows.apply(writer, directives, source=source, source_text=source_text)

    def directives(self) -> list[Directive]:
        return self._read(directive_rows.load_all)

    def directive(self, id: str) -> Directive:
        return self._read(lambda conn: directive_rows.load(conn, id))

    def directive_source(self, id: str) -> DirectiveSource:
        """The file a directive was last applied from, as written, and who applied it when."""
        return self._read(lambda conn: directive_rows.load_source(conn, id))

    # Subjects

    def import_subjects(self, subjects: Sequence[Subject], *, actor: str,
                        screening_threshold: float = DEFAULT_THRESHOLD,
                        progress: screening_rows.Progress | None = None) -> ImportResult:
        """Create or replace subjects by id, all or nothing; new names are screened in the same transaction."""
        with self._write(actor) as writer:
            result = subject_rows.import_batch(writer, subjects)
            if result.changed:
                screening_rows.screen_new_parties(writer, threshold=screening_threshold, progress=progress)
            return result

    def subject(self, id: str) -> Subject:
        return self._read(lambda conn: subject_rows.load(conn, id))

    def subjects(self, ids: Iterable[str] | None = None) -> list[Subject]:
        """The subjects with these ids that exist (ordered by id); every subject when `ids` is None."""
        return self._read(lambda conn: subject_rows.load_many(conn, ids))

    def count_subjects(self) -> int:
        return self._read(subject_rows.count)

    # Licenses

    def add_licenses(self, licenses: Sequence[License], *, actor: str) -> None:
        """Add new licenses, all or nothing; an id already stored is a Conflict naming it."""
        with self._write(actor) as writer:
            license_rows.add(writer, licenses)

    def licenses(self, *, status: LicenseStatus | None = None, holder: Holder | None = None) -> list[License]:
        return self._read(lambda conn: license_rows.load_all(conn, status, holder))

    def license(self, id: str) -> License:
        return self._read(lambda conn: license_rows.load(conn, id))

    def set_license_status(self, id: str, status: LicenseStatus, *, reason: str, actor: str) -> License:
        """Suspend, revoke or reinstate a license; the reason and actor go into the change log."""
        with self._write(actor) as writer:
            return license_rows.set_status(writer, id, status, reason)

    # The audit trail (store/audit.py): append-only, hash-chained, one order across all writers

    def append_audit(self, entries: Sequence[AuditEntry], *, signer: CheckpointSigner | None = None,
                     checkpoint_every: int = 0, spooled: Sequence[SpoolMark] = ()) -> list[int]:
        """Link `entries` to the chain in one transaction; their seqs once it has committed.

        `spooled`: they are gateway spools' records between those offsets (Conflict when another
        process has ingested them already)."""
        with translated(self._shown), self._writer.begin() as conn:
            return audit_rows.append(conn, entries, signer, checkpoint_every, datetime.now(UTC), spooled)

    def audit_spool_ingested(self, name: str) -> int:
        return self._read(lambda conn: audit_rows.spool_ingested(conn, name))

    def audit_checkpoint(self, signer: CheckpointSigner, *, seq: int | None = None) -> Checkpoint | None:
        """A signed checkpoint at `seq` (default: the last record); None while the log is empty."""
        with translated(self._shown), self._writer.begin() as conn:
            return audit_rows.checkpoint(conn, signer, datetime.now(UTC), seq)

    def audit_head(self) -> AuditHead:
        return self._read(audit_rows.head)

    def audit_bounds(self) -> tuple[int, int] | None:
        """The oldest and newest stored seq (None for an empty log)."""
        return self._read(audit_rows.bounds)

    def audit_seq_range(self, since: datetime | None, until: datetime | None) -> tuple[int, int] | None:
        return self._read(lambda conn: audit_rows.seq_range(conn, since, until))

    def audit_records(self, first: int, last: int, *, limit: int | None = None) -> list[AuditRecord]:
        """Stored records first <= seq <= last in seq order (at most `limit`: page through big ranges)."""
        return self._read(lambda conn: audit_rows.records(conn, first, last, limit=limit))

    def audit_records_in_time(self, since: datetime | None, until: datetime | None, *, after_seq: int = 0,
                              limit: int = 1000) -> list[AuditRecord]:
        return self._read(lambda conn: audit_rows.in_time(conn, since, until, after_seq, limit))

    def audit_checkpoints(self, first: int, last: int) -> list[Checkpoint]:
        return self._read(lambda conn: audit_rows.checkpoints(conn, first, last))

    def search_audit(self, query: AuditQuery) -> list[AuditRecord]:
        """Records matching every filter of `query`, newest first (for the CLI and the admin API)."""
        return self._read(lambda conn: audit_rows.search(conn, query))

    def prune_audit(self, before: datetime, *, signer: CheckpointSigner | None) -> PruneResult:
        """Delete records older than `before`; a signed checkpoint anchors the oldest one kept."""
        with translated(self._shown), self._writer.begin() as conn:
            return audit_rows.prune(conn, before, signer, datetime.now(UTC))

    # API keys and operator tokens (the secret is returned once, by the create methods, and never stored)

    def create_api_key(self, subject_id: str, *, label: str = "", allow_unknown_subject: bool = False,
                       actor: str) -> credential_rows.IssuedCredential:
        """A new API key for a subject; NotFound for a subject not in the store unless `allow_unknown_subject`."""
        with self._write(actor) as writer:
            return credential_rows.create(writer, credential_rows.CredentialKind.API_KEY, subject_id=subject_id,
                                          label=label, allow_unknown_subject=allow_unknown_subject)

    def create_operator_token(self, role: credential_rows.OperatorRole, *, label: str = "",
                              actor: str) -> credential_rows.IssuedCredential:
        """A new operator token for the admin API, with one role."""
        with self._write(actor) as writer:
            return credential_rows.create(writer, credential_rows.CredentialKind.OPERATOR_TOKEN, role=role,
                                          label=label)

    def credentials(self, *, kind: credential_rows.CredentialKind | None = None, subject_id: str | None = None,
                    role: credential_rows.OperatorRole | None = None,
                    active_only: bool = False) -> list[credential_rows.Credential]:
        """Stored credentials (digests, never secrets), oldest first."""
        return self._read(lambda conn: credential_rows.load_all(conn, kind, subject_id, role, active_only))

    def credential(self, id: str, *, kind: credential_rows.CredentialKind | None = None) -> credential_rows.Credential:
        return self._read(lambda conn: credential_rows.load(conn, id, kind))

    def revoke_credential(self, id: str, *, kind: credential_rows.CredentialKind | None = None, reason: str = "",
                          actor: str) -> credential_rows.Credential:
        """Revoke a key or token (kept as evidence); revoking it again changes nothing."""
        with self._write(actor) as writer:
            return credential_rows.revoke(writer, id, kind, reason)

    # Restricted-party lists and screening (store/screening.py)

    def import_list(self, parsed: ParsedList, *, name: str, list_format: str, actor: str,
                    threshold: float = DEFAULT_THRESHOLD,
                    progress: screening_rows.Progress | None = None) -> screening_rows.ListImport:
        """Load a list under `name`, replacing any list of that name, and screen every party again: one transaction."""
        with self._write(actor) as writer:
            return screening_rows.replace_list(writer, parsed, name=name, list_format=list_format,
                                               threshold=threshold, progress=progress)

    def remove_list(self, name: str, *, actor: str, threshold: float = DEFAULT_THRESHOLD,
                    progress: screening_rows.Progress | None = None) -> screening_rows.Rescreen:
        with self._write(actor) as writer:
            return screening_rows.remove_list(writer, name, threshold=threshold, progress=progress)

    def rescreen(self, *, actor: str, threshold: float = DEFAULT_THRESHOLD,
                 progress: screening_rows.Progress | None = None) -> screening_rows.Rescreen:
        """Screen every stored party again (after the threshold changed)."""
        with self._write(actor) as writer:
            return screening_rows.rescreen_all(writer, threshold=threshold, progress=progress)

    def lists(self) -> list[screening_rows.StoredList]:
        return self._read(screening_rows.load_lists)

    def list_entries(self) -> dict[str, list[ListEntry]]:
        """Every stored entry, by list name."""
        return self._read(screening_rows.load_entries)

    def screening_results(self, *, status: ScreeningStatus | None = None) -> list[ScreeningResult]:
        return self._read(lambda conn: screening_rows.load_results(conn, status))

    def screening_result(self, id: int) -> ScreeningResult:
        return self._read(lambda conn: screening_rows.load_result(conn, id))

    def screening_state(self) -> screening_rows.ScreeningState:
        """Lists, screened parties and results as of one committed state: what a snapshot is compiled with."""
        return self._read(screening_rows.load_state)

    def review_result(self, id: int, status: ScreeningStatus, *, reviewer: str, reason: str) -> ScreeningResult:
        """Confirm or dismiss a screening result; reviewer, reason and time are kept and logged."""
        with self._write(reviewer) as writer:
            return screening_rows.review(writer, id, status, reviewer=reviewer, reason=reason)

    # Transactions

    def _read(self, work: Callable[[Connection], T]) -> T:
        with translated(self._shown), self._engine.begin() as conn:
            return work(conn)

    @contextmanager
    def _write(self, actor: str) -> Iterator[Writer]:
        with translated(self._shown), self._writer.begin() as conn:
            yield Writer(conn, actor)
