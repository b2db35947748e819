"""Normalisation, table by table, and the properties the matcher relies on."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.screening.normalize import fold, name_tokens, normalize_name, skeleton


@pytest.mark.parametrize(("raw", "folded"), [
    ("BANCO NACIONAL DE CUBA", "banco nacional de cuba"),
    ("ANGLO-CARIBBEAN CO., LTD.", "anglo caribbean co ltd"),
    ("NU'MAN ALAEDDIN, Mohammed", "numan alaeddin mohammed"),
    ("\uff2d\uff55\uff4c\uff4c\uff45\uff52", "muller"),   # full-width "Muller" (NFKC)
    ("Müller", "muller"),
    ("Путин Владимир", "putin vladimir"),             # Cyrillic
    ("Νικολάς", "nikolas"),                           # Greek
    ("习近平", "xi jinping"),                          # surname, then the given name run together
    ("  many   spaces\t", "many spaces"),
    ("S.A.", "sa"),
])
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(("raw", "tokens"), [
    ("ANGLO-CARIBBEAN CO., LTD.", ("anglo", "caribbean")),
    ("CECOEX, S.A.", ("cecoex",)),
    ("OOO Tekhnodinamika", ("tekhnodinamika",)),
    ("Tekhnodinamika LLC", ("tekhnodinamika",)),
    ("Müller GmbH & Co. KG", ("muller",)),
    ("RED DOLPHIN JOINT STOCK COMPANY", ("red", "dolphin")),
    ("Distribuidora Imperial, S.A. de C.V.", ("distribuidora", "imperial")),
    ("INNFOCUS LIMITED LIABILITY COMPANY", ("innfocus",)),
    ("Limited", ("limited",)),                        # nothing but a legal form: kept
])
def test_legal_forms(raw: str, tokens: tuple[str, ...]) -> None:
    assert name_tokens(raw) == tokens


@pytest.mark.parametrize(("one", "other"), [
    ("HANIYA, Ismail", "Ismail Haniya"),
    ("Anglo Caribbean Limited", "ANGLO-CARIBBEAN CO., LTD."),
    ("Путин Владимир Владимирович", "PUTIN, Vladimir Vladimirovich"),
])
def test_same_normal_form(one: str, other: str) -> None:
    assert normalize_name(one) == normalize_name(other)


@pytest.mark.parametrize(("token", "expected"), [
    ("mohammed", "md"), ("muhammad", "md"), ("mohamad", "md"), ("haniya", "hn"), ("osama", "asm"), ("usama", "asm"),
])
def test_skeleton(token: str, expected: str) -> None:
    assert skeleton(token) == expected


names = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(names)
def test_normalisation_is_idempotent(name: str) -> None:
    once = normalize_name(name)
    assert normalize_name(once) == once
    assert fold(fold(name)) == fold(name)


@settings(max_examples=300, deadline=None)
@given(names)
def test_folded_names_are_plain_ascii_words(name: str) -> None:
    folded = fold(name)
    assert folded == folded.strip() and "  " not in folded
    assert all(c.isascii() and (c.isalnum() or c == " ") and not c.isupper() for c in folded)
