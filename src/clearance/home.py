"""A Clearance home opened for work: its settings, its store, and the policy compiled from them.

Every edge (CLI, gateway, admin API) opens a home the same way, so they all decide with the same
catalog, country groups and home country.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from clearance.domain.catalog import Catalog
from clearance.domain.directives import Directive
from clearance.domain.groups import CountryGroups
from clearance.domain.licenses import License
from clearance.domain.screening import NO_SCREENING, PendingPolicy, VerdictSource
from clearance.errors import StoreUnavailable
from clearance.policy import PolicySnapshot, compile_snapshot
from clearance.screening.parties import ListPool
from clearance.screening.verdicts import ScreeningVerdicts
from clearance.settings import Settings, load_settings
from clearance.store import Store

SETTINGS_FILE = "clearance.toml"


@dataclass
class Home:
    path: Path
    settings: Settings
    store: Store
    catalog: Catalog
    groups: CountryGroups
    # The matcher over the stored lists, by the lists' digests: rebuilt only when a list changes,
    # not on every recompile (a review or a license changes the policy but not the lists).
    _pools: dict[tuple[tuple[str, str], ...], ListPool] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, path: Path, *, database_url: str | None = None, require_init: bool = True) -> Home:
        explicit = database_url is not None or bool(os.environ.get("CLEARANCE_DATABASE_URL"))
        if require_init and not explicit and not (path / SETTINGS_FILE).exists():
            raise StoreUnavailable(f"{path} is not a Clearance home (no {SETTINGS_FILE}); "
                                   f"run `clearance init --home {path}` first")
        return cls.from_settings(load_settings(path, database_url=database_url))

    @classmethod
    def from_settings(cls, settings: Settings, *, migrate: bool = True) -> Home:
        """The home these settings describe, its store open (and migrated unless `migrate` is off)."""
        store = Store.open(settings.resolved_database_url(), migrate=migrate)
        return cls(settings.home, settings, store, settings.catalog(), settings.groups())

    @property
    def home_country(self) -> str:
        return self.settings.home_country

    def compile(self, *, directives: list[Directive] | None = None,
                licenses: list[License] | None = None) -> PolicySnapshot:
        """The policy of what is stored, or of a proposed set of directives or licenses."""
        return compile_snapshot(
            self.store.directives() if directives is None else directives,
            self.store.licenses() if licenses is None else licenses,
            catalog=self.catalog, groups=self.groups, home_country=self.home_country,
            screening=self.screening(), pending=PendingPolicy(self.settings.screening.pending))

    def screening(self) -> VerdictSource:
        """Restricted-party verdicts from the stored results; callers not stored are screened by name."""
        state = self.store.screening_state()
        if not state.lists:
            return NO_SCREENING
        key = tuple((s.name, s.digest) for s in state.lists)

        def pool() -> ListPool:
            found = self._pools.get(key)
            if found is None:
                self._pools.clear()
                found = self._pools[key] = ListPool(self.store.list_entries())
            return found

        return ScreeningVerdicts(parties=state.parties, results=state.results, pool=pool,
                                 lists=[s.name for s in state.lists], threshold=self.settings.screening.threshold,
                                 digest=state.digest)

    def close(self) -> None:
        self.store.close()
