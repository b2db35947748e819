"""Capability categories: the parts of a model a directive may cut without blacking out the rest."""

from __future__ import annotations

from enum import StrEnum


class Capability(StrEnum):
    CYBER_OFFENSE = "cyber-offense"
    CBRN_WEAPONS = "cbrn-weapons"
    CONVENTIONAL_WEAPONS = "conventional-weapons"
    MASS_SURVEILLANCE = "mass-surveillance"


CAPABILITIES = frozenset(c.value for c in Capability)
