"""Licenses: the authorisations that lift a directive's restriction for named holders.

A license lifts a directive only where it covers that directive, the model asked for and every
destination the directive restricts in the request; it is held by a subject, by the subject's
organisation, or by a destination (an authorisation for anyone going there).
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
    ValidationInfo,
    field_validator,
    model_validator,
)

from clearance.domain.countries import is_country, is_region
from clearance.domain.directives import Identifier, Safeguards
from clearance.domain.groups import CountryGroups
from clearance.domain.selectors import normalize_destination
from clearance.domain.timeutil import as_instant


class LicenseStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class HolderKind(StrEnum):
    SUBJECT = "subject"
    ORGANIZATION = "organization"
    DESTINATION = "destination"


def _parse_holder(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    kind, sep, ident = value.strip().partition(":")
    kinds = ", ".join(k.value for k in HolderKind)
    if not sep or not ident.strip():
        raise ValueError(f'"{value}" is not KIND:ID (KIND is one of {kinds})')
    try:
        holder_kind = HolderKind(kind.strip().lower())
    except ValueError:
        raise ValueError(f'unknown holder kind "{kind}" (one of {kinds})') from None
    ident = ident.strip()
    if holder_kind is HolderKind.DESTINATION:
        ident = ident.upper()
        if not (is_country(ident) or is_region(ident)):
            raise ValueError(f'unknown country or region "{ident}"')
    return Holder(kind=holder_kind, id=ident)


class Holder(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: HolderKind
    id: str = Field(min_length=1)

    @model_validator(mode="after")
    def _known_destination(self) -> Holder:
        """A holder written as a mapping gets the same checks as "destination:XX"."""
        if self.kind is HolderKind.DESTINATION:
            code = self.id.strip().upper()
            if not (is_country(code) or is_region(code)):
                raise ValueError(f'unknown country or region "{self.id}"')
            if code != self.id:
                return Holder(kind=self.kind, id=code)
        return self

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> Holder:
        """Read "subject:alice", "organization:acme" or "destination:GB"; ValueError names what is wrong."""
        holder = _parse_holder(text)
        assert isinstance(holder, Holder)
        return holder


def _destination(value: str, info: ValidationInfo) -> str:
    ctx = info.context if isinstance(info.context, dict) else {}
    groups: CountryGroups | None = ctx.get("groups")
    return normalize_destination(value, groups, None)


class Conditions(BaseModel):
    """What the license demands of the use it authorises."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_requests: int | None = Field(default=None, gt=0)  # enforced by the gateway's counters
    safeguards: Safeguards = Safeguards()  # obligations that stay on while the license lifts a directive


class License(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    holder: Annotated[Holder, BeforeValidator(_parse_holder)]
    models: tuple[str, ...] = ()  # ids, "family:" or "tier:" selectors; empty: every model
    directives: tuple[str, ...] = ()  # directive ids; empty: every directive that accepts licenses
    destinations: tuple[Annotated[str, BeforeValidator(str), AfterValidator(_destination)], ...] = ()
    valid_from: datetime
    valid_until: datetime | None = None
    conditions: Conditions = Conditions()
    status: LicenseStatus = LicenseStatus.ACTIVE
    note: str = ""

    @field_validator("valid_from", "valid_until", mode="before")
    @classmethod
    def _instant(cls, value: Any) -> Any:
        if value is None:
            return None
        return as_instant(value) if isinstance(value, date | str) else value

    @field_validator("valid_from", "valid_until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_instant(value) if value is not None else None

    @field_validator("models", "directives")
    @classmethod
    def _unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for v in value))

    @model_validator(mode="after")
    def _coherent(self) -> License:
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValueError(f"valid_until ({self.valid_until.isoformat()}) must be after valid_from "
                             f"({self.valid_from.isoformat()})")
        if not self.models and not self.directives:
            raise ValueError("a license must name the models or the directives it covers")
        if self.holder.kind is HolderKind.DESTINATION and self.destinations:
            raise ValueError(f"a license held by {self.holder} covers that destination; "
                             "leave destinations empty")
        return self

    def in_force(self, at: datetime) -> bool:
        return (self.status is LicenseStatus.ACTIVE and self.valid_from <= at
                and (self.valid_until is None or at < self.valid_until))

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude_none=True)
        data["holder"] = str(self.holder)
        return data
