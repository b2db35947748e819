"""The shared screening data (../shared/data/screening beside the clone) and screeners built from it once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from screening_data import DATA

from clearance.screening import ParsedList, Screener, load_list

_TESTS = str(Path(__file__).resolve().parent.parent)  # `reference` and `strategies`, for the decision tests
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)


@pytest.fixture(scope="session")
def sdn_2021() -> ParsedList:
    return load_list(DATA / "ofac_sdn_legacy_2021-07-07" / "sdn.csv", "sdn")


@pytest.fixture(scope="session")
def sdn_2024() -> ParsedList:
    return load_list(DATA / "ofac_sdn_2024-05-03" / "sdn.csv", "sdn")


@pytest.fixture(scope="session")
def screener_2024(sdn_2024: ParsedList) -> Screener:
    return Screener.build(sdn_2024.entries)


@pytest.fixture(scope="session")
def screener_2021(sdn_2021: ParsedList) -> Screener:
    return Screener.build(sdn_2021.entries)
