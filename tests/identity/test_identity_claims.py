"""Token claims are read exactly as the subjects CSV is: same Subject, or refused for the same reasons."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.documents.subject_row import read_row
from clearance.domain.subjects import Subject
from clearance.gateway.identity import Unauthenticated
from clearance.gateway.identity.claims import claimed_subject

MAPPING = {"name": "name", "organization": "org", "citizenships": "cit", "permanent_residence": "res",
           "us_person": "usp", "email": "mail"}
NATIONALITY = st.sampled_from(["US", "IN", "CA", "CN", "GB", "us", "XX", "IN@2001-05-01", "CA@2019-02-11",
                               "US@1990-01-01", "IN@2001-13-01", "RU@", " FR "])
RESIDENCE = st.sampled_from(["", "US", "CA", "CA@2019-02-11", "ZZ", "US;CA"])
US_PERSON = st.sampled_from(["", "citizen", "lpr", "protected", "Citizen", "yes"])


@settings(max_examples=400, deadline=None)
@given(st.lists(NATIONALITY, max_size=3), RESIDENCE, US_PERSON, st.sampled_from(["", "a@b.example", "nope"]),
       st.booleans())
def test_claims_and_csv_agree(citizenships: list[str], residence: str, us_person: str, email: str,
                              as_list: bool) -> None:
    joined = ";".join(c.strip() for c in citizenships)
    cells = {"id": "s-1", "name": "N", "organization": "acme", "citizenships": joined,
             "permanent_residence": residence, "us_person": us_person, "email": email}
    from_csv = read_row(cells, line=2, source="subjects.csv", home_country="US")
    payload: dict[str, Any] = {"name": "N", "org": "acme", "cit": citizenships if as_list else cells["citizenships"],
                               "res": residence, "usp": us_person, "mail": email}
    try:
        claimed = claimed_subject(payload, "s-1", MAPPING, issuer="https://id.example/", home_country="US")
    except Unauthenticated as exc:
        assert isinstance(from_csv, list), f"the CSV accepts what the token was refused for: {exc.message}"
        for problem in from_csv:
            assert f'claim "{MAPPING[problem.field or ""]}" ({problem.field}): {problem.message}' in exc.message
    else:
        assert isinstance(from_csv, Subject), f"the token was accepted, the CSV refused: {from_csv}"
        assert claimed == from_csv


def test_nothing_mapped_means_no_claimed_subject() -> None:
    assert claimed_subject({"cit": "IN"}, "s", {}, issuer="i", home_country="US") is None


@pytest.mark.parametrize(("value", "shape"), [({"IN": True}, "an object"), (1.5, "a number"), ([1], "a list")])
def test_claims_of_the_wrong_shape_are_named(value: Any, shape: str) -> None:
    wanted = rf'token claim "cit" \(citizenships\): expected a list of text, got {shape}'
    with pytest.raises(Unauthenticated, match=wanted):
        claimed_subject({"cit": value}, "s", {"citizenships": "cit"}, issuer="i", home_country="US")
