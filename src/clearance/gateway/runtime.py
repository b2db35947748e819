"""Everything a gateway process needs to answer a request, and the loop that keeps it current.

The hot path reads only memory: the policy snapshot and its decision cache, the key ring, the
subjects who hold keys, the GeoIP reader (a JWT's subject not seen before is read once).  A
background task asks the store for its revision every `gateway.refresh_seconds`; when it moved (a
directive, license, subject, key or screening result changed, in this process or any other
replica), the snapshot is recompiled off the event loop and swapped in whole, together with a
fresh key ring and the key holders' subjects.  A store that cannot be reached keeps the last good
policy in force and marks the process not ready; requests still need the audit trail, so they
fail closed with 503 until it is back (`ensure_recording`): the audit spool could hold their
records meanwhile, but a gateway that answers while its trail cannot grow is not what an auditor
expects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from clearance.domain.subjects import Subject
from clearance.errors import ClearanceError, StoreUnavailable
from clearance.gateway.audit_sink import AuditSink, DisabledAudit
from clearance.gateway.enforcement import Enforcer
from clearance.gateway.identity import Authenticator, Caller, KeyRing, issuers_from_settings
from clearance.gateway.location import AddressResolver
from clearance.gateway.metrics import GatewayMetrics
from clearance.gateway.subjects import SubjectDirectory
from clearance.gateway.upstreams import Upstreams
from clearance.geo import Geolocator
from clearance.home import Home
from clearance.policy import PolicySnapshot
from clearance.policy.decider import Decider
from clearance.safeguards import Detector
from clearance.settings import Settings

log = logging.getLogger("clearance.gateway")


@dataclass
class Runtime:
    settings: Settings
    home: Home
    enforcer: Enforcer
    authenticator: Authenticator
    subjects: SubjectDirectory
    geolocator: Geolocator
    resolver: AddressResolver
    upstreams: Upstreams
    audit: AuditSink
    metrics: GatewayMetrics
    detector: Detector
    revision: int
    ready: bool = True
    _refresher: asyncio.Task[None] | None = field(default=None, repr=False)

    @classmethod
    async def start(cls, settings: Settings, *, audit: AuditSink | None = None, record: bool = True) -> Runtime:
        """Open the store, compile the policy, connect the upstreams and the audit sink.

        `record=False` (benchmarks only) runs without an audit trail.
        """
        home = await asyncio.to_thread(Home.from_settings, settings)
        try:
            revision = await asyncio.to_thread(home.store.revision)
            snapshot = await asyncio.to_thread(_compiled, home)
            keys = await asyncio.to_thread(KeyRing.load, home.store)
            subjects = await asyncio.to_thread(SubjectDirectory.of_key_holders, home.store)
            detector = await asyncio.to_thread(Detector.load)
            default_threshold = settings.safeguards.jailbreak_threshold
            enforcer = Enforcer(
                Decider(snapshot), clearance_url=settings.gateway.clearance_url,
                default_threshold=detector.threshold if default_threshold is None else default_threshold,
                screen_all=settings.safeguards.screen_all)
            sink = audit if audit is not None else (_open_audit(home) if record else DisabledAudit())
            runtime = cls(
                settings=settings, home=home, enforcer=enforcer,
                authenticator=Authenticator(keys, issuers_from_settings(settings)),
                subjects=subjects,
                geolocator=Geolocator.open(settings.geoip_path()),
                resolver=AddressResolver(settings.gateway.trusted_networks()),
                upstreams=Upstreams.from_settings(settings), audit=sink, metrics=GatewayMetrics(),
                detector=detector, revision=revision)
            await runtime.upstreams.start()
            await runtime.audit.start()
        except BaseException:
            home.close()
            raise
        runtime._refresher = asyncio.create_task(runtime._refresh_forever(), name="clearance-refresh")
        return runtime

    @property
    def serving(self) -> bool:
        """The store answers and takes the audit records: requests may be answered."""
        return self.ready and self.audit.healthy

    def ensure_recording(self) -> None:
        if not self.serving:
            raise StoreUnavailable("the store cannot be reached: no request is answered while its audit record "
                                   "cannot be kept")

    async def subject_of(self, caller: Caller) -> Subject:
        """The stored subject (vetted data wins); else what the caller's token claims; else unknown.

        An unknown subject has no citizenship on file, which every directive treats as its `unknown`
        rule says (deny unless it says otherwise): failing closed without refusing unrestricted models.
        """
        stored = await self.subjects.get(caller.subject_id)
        if stored is not None:
            return stored
        if caller.claimed is not None:
            return caller.claimed
        return Subject(id=caller.subject_id)

    async def refresh(self) -> bool:
        """Reload what changed in the store; True when a new policy was swapped in."""
        store = self.home.store
        revision = await asyncio.to_thread(store.revision)
        if revision == self.revision:
            return False
        snapshot = await asyncio.to_thread(_compiled, self.home)
        keys = await asyncio.to_thread(KeyRing.load, store)
        subjects = await asyncio.to_thread(SubjectDirectory.of_key_holders, store)
        # One step with no await in between: no request sees the new keys with the old policy.
        self.enforcer.decider.swap(snapshot)
        self.authenticator = self.authenticator.with_keys(keys)
        self.subjects = subjects
        self.revision = revision
        log.info("policy %s in force (store revision %d)", snapshot.version, revision)
        return True

    async def _refresh_forever(self) -> None:
        interval = self.settings.gateway.refresh_seconds
        while True:
            await asyncio.sleep(interval)
            try:
                await self.refresh()
                self.ready = True
            except ClearanceError as exc:
                if self.ready:
                    log.error("cannot refresh from the store, keeping policy %s: %s",
                              self.enforcer.decider.snapshot.version, exc)
                self.ready = False
            except Exception:  # never let the refresher die: a stale gateway must stay visible
                log.exception("refresh failed")
                self.ready = False

    async def close(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
        try:
            await self.audit.close()
        finally:
            await self.upstreams.close()
            self.geolocator.close()
            self.home.close()


def _compiled(home: Home) -> PolicySnapshot:
    """The stored policy, with its restricted-party matcher built (callers the store does not hold,
    such as a JWT's subject, are screened by name: that must not build an index on the event loop)."""
    snapshot = home.compile()
    snapshot.screening.warm()
    return snapshot


def _open_audit(home: Home) -> AuditSink:
    from clearance.audit import open_writer  # the audit package: group commit into the store

    return open_writer(home)
