"""Directives: what an authority restricts, for which models, whom, toward where, and what happens.

A directive is data a compliance officer writes (YAML, kept in git) and Clearance validates with
errors that name the field.  Validation that needs to know the deployment (country groups, the
model catalog, the home country) reads them from the pydantic validation context, so one pass
reports every problem.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from clearance.domain.capabilities import CAPABILITIES
from clearance.domain.catalog import FAMILY, TIER, Catalog
from clearance.domain.groups import CountryGroups
from clearance.domain.selectors import ALL, normalize_destination
from clearance.domain.timeutil import as_instant

Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                              pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")]


class Mode(StrEnum):
    DRAFT = "draft"  # written, not evaluated
    SHADOW = "shadow"  # evaluated and recorded, never changes a decision
    ENFORCE = "enforce"
    REVOKED = "revoked"


class Persons(StrEnum):
    FOREIGN = "foreign"
    ALL = "all"
    NONE = "none"


class Deemed(StrEnum):
    MOST_RECENT = "most-recent"
    ANY_CITIZENSHIP = "any-citizenship"


class Unknown(StrEnum):
    DENY = "deny"
    ALLOW = "allow"


class Action(StrEnum):
    DENY = "deny"
    DEGRADE = "degrade"
    SAFEGUARD = "safeguard"


class Licensing(StrEnum):
    NONE = "none"  # no license lifts this directive
    CASE_BY_CASE = "case-by-case"
    PRESUMPTION_OF_DENIAL = "presumption-of-denial"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def _destination(value: str, info: ValidationInfo) -> str:
    ctx = _context(info)
    if value.strip().lower() == ALL:
        return ALL
    groups: CountryGroups | None = ctx.get("groups")
    return normalize_destination(value, groups, ctx.get("home_country"))


# One selector, checked where it stands so an error names its index (and so its line).
DestinationSelector = Annotated[str, BeforeValidator(str), AfterValidator(_destination)]


def _dedupe(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


class Safeguards(_Strict):
    """Obligations the gateway enforces before a prompt leaves (the safeguards component)."""

    jailbreak_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    block_capabilities: tuple[str, ...] = ()

    @field_validator("block_capabilities")
    @classmethod
    def _known_capabilities(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for cap in value:
            if cap not in CAPABILITIES:
                raise ValueError(f'unknown capability "{cap}" (known: {", ".join(sorted(CAPABILITIES))})')
        return tuple(dict.fromkeys(value))

    @property
    def empty(self) -> bool:
        return self.jailbreak_threshold is None and not self.block_capabilities


class Scope(_Strict):
    models: tuple[str, ...] = Field(min_length=1)
    capabilities: tuple[str, ...] = ()

    @field_validator("models")
    @classmethod
    def _models(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for sel in value:
            sel = str(sel).strip()
            if sel.startswith((FAMILY, TIER)) and not sel.split(":", 1)[1]:
                raise ValueError(f'"{sel}" names no family or tier')
            if not sel:
                raise ValueError("empty model id")
            out.append(sel)
        return tuple(dict.fromkeys(out))

    @field_validator("capabilities")
    @classmethod
    def _capabilities(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for cap in value:
            if cap not in CAPABILITIES:
                raise ValueError(f'unknown capability "{cap}" (known: {", ".join(sorted(CAPABILITIES))})')
        return tuple(dict.fromkeys(value))


class Restriction(_Strict):
    persons: Persons = Persons.FOREIGN
    destinations: tuple[DestinationSelector, ...] = (ALL,)  # (ALL,) is "all"
    deemed: Deemed = Deemed.MOST_RECENT
    unknown: Unknown = Unknown.DENY
    parties: tuple[str, ...] = ()  # "subject:ID" or "organization:ID", restricted whatever their nationality

    @field_validator("destinations", mode="before")
    @classmethod
    def _all_or_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list | tuple) and not value:
            raise ValueError('an empty list restricts nothing; write "all" or name destinations')
        return value

    @field_validator("destinations")
    @classmethod
    def _unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if ALL in value and len(value) > 1:
            raise ValueError('"all" cannot be combined with other destinations')
        return _dedupe(value)

    @field_serializer("destinations")
    def _dump(self, value: tuple[str, ...]) -> str | list[str]:
        return ALL if value == (ALL,) else list(value)

    @property
    def all_destinations(self) -> bool:
        return self.destinations == (ALL,)

    @field_validator("parties")
    @classmethod
    def _parties(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for party in value:
            kind, _, ident = party.partition(":")
            if kind not in {"subject", "organization"} or not ident:
                raise ValueError(f'"{party}" is not "subject:ID" or "organization:ID"')
        return value


class Exceptions(_Strict):
    destinations: tuple[DestinationSelector, ...] = ()

    @field_validator("destinations")
    @classmethod
    def _unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if ALL in value:
            raise ValueError('"all" cannot be an exception: that would make the directive restrict nothing')
        return _dedupe(value)


class Directive(_Strict):
    id: Identifier
    title: str = Field(min_length=1)
    authority: str = Field(min_length=1)
    issued: date
    effective: datetime
    expires: datetime | None = None
    mode: Mode = Mode.DRAFT
    scope: Scope
    restrict: Restriction = Restriction()
    except_: Exceptions = Field(default=Exceptions(), alias="except")
    action: Action = Action.DENY
    degrade_to: str | None = None
    safeguards: Safeguards = Safeguards()
    licensing: Licensing = Licensing.CASE_BY_CASE
    message: str = ""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("issued", mode="before")
    @classmethod
    def _issued(cls, value: Any) -> Any:
        return value.date() if isinstance(value, datetime) else value

    @field_validator("effective", "expires", mode="before")
    @classmethod
    def _instant(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, date | str):
            return as_instant(value)
        return value

    @field_validator("effective", "expires")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_instant(value) if value is not None else None

    @model_validator(mode="after")
    def _coherent(self, info: ValidationInfo) -> Directive:
        if self.expires is not None and self.expires <= self.effective:
            raise ValueError(f"expires ({self.expires.isoformat()}) must be after effective "
                             f"({self.effective.isoformat()})")
        if self.effective.date() < self.issued:
            raise ValueError(f"effective ({self.effective.date()}) is before issued ({self.issued})")
        if self.action is Action.DEGRADE and not self.degrade_to:
            raise ValueError("action degrade needs degrade_to: the fallback model")
        if self.action is not Action.DEGRADE and self.degrade_to:
            raise ValueError(f"degrade_to is only for action degrade (this one is {self.action.value})")
        if self.action is Action.SAFEGUARD and self.safeguards.empty:
            raise ValueError("action safeguard needs safeguards: jailbreak_threshold or block_capabilities")
        if self.action is not Action.SAFEGUARD and not self.safeguards.empty:
            raise ValueError(f"safeguards are only for action safeguard (this one is {self.action.value})")
        if self.restrict.persons is Persons.NONE and not self.restrict.parties:
            raise ValueError("restrict.persons none with no restrict.parties restricts nobody")
        catalog: Catalog | None = _context(info).get("catalog")
        if catalog is not None and self.degrade_to and self.degrade_to not in catalog:
            raise ValueError(f'degrade_to: unknown model "{self.degrade_to}" '
                             f'(known: {", ".join(sorted(catalog.models))})')
        if self.degrade_to and self.degrade_to in self.scope.models:
            raise ValueError(f'degrade_to "{self.degrade_to}" is itself in scope.models')
        return self

    @property
    def excepted(self) -> tuple[str, ...]:
        return self.except_.destinations

    def in_force(self, at: datetime) -> bool:
        """Evaluated at `at`: enforced or shadowed, effective, not expired."""
        if self.mode not in (Mode.ENFORCE, Mode.SHADOW):
            return False
        return self.effective <= at and (self.expires is None or at < self.expires)

    def warnings(self, catalog: Catalog) -> list[str]:
        """Things that are valid but probably not what the author meant."""
        out = [f'scope.models: "{sel}" matches no model in this deployment'
               for sel in self.scope.models if not catalog.knows_selector(sel)]
        if self.mode is Mode.ENFORCE and not self.message:
            out.append("message: empty; callers refused under this directive will see no explanation")
        return out

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
