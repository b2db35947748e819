"""The subjects CSV: every bad row reported by line and column, nothing taken from a bad file."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clearance.documents import load_subjects_csv, subjects_to_csv
from clearance.domain.countries import all_countries
from clearance.domain.subjects import Nationality, PersonStatus, Subject, UsPersonStatus

from .helpers import HOME, rendered

HEADER = "id,name,organization,citizenships,permanent_residence,us_person,email\n"
US_PERSON_HELP = "one of: citizen, lpr, protected; empty for anyone else or when not known"


def subjects(source_text: str) -> list[Subject]:
    return load_subjects_csv(source_text, source="s.csv", home_country=HOME)


BAD_ROWS = [
    pytest.param(",Nobody,,IN,,,\n", ["s.csv:2: id: empty: every subject needs an id"], id="empty-id"),
    pytest.param("a,A,,IN,,,\nb,B,,IN,,,\na,A again,,FR,,,\n",
                 ['s.csv:4: id: duplicate id "a" (first on line 2)'], id="duplicate-id"),
    pytest.param("a,A,,XX,,,\n", ['s.csv:2: citizenships: unknown ISO 3166-1 country "XX"'],
                 id="unknown-country"),
    pytest.param("a,A,,IN@2001-13-01,,,\n", ['s.csv:2: citizenships: "2001-13-01" is not a date (YYYY-MM-DD)'],
                 id="bad-date"),
    pytest.param("a,A,,US;us@2001-01-01,,,\n", ["s.csv:2: citizenships: US is listed twice"],
                 id="home-citizenship-twice"),
    pytest.param("a,A,,IN,US;CA,,\n",
                 ['s.csv:2: permanent_residence: "US;CA": a person has one permanent residence, not a list'],
                 id="two-residences"),
    pytest.param("a,A,,IN,Canada,,\n", ['s.csv:2: permanent_residence: unknown ISO 3166-1 country "Canada"'],
                 id="residence-not-a-code"),
    pytest.param("a,A,,IN,,yes,\n", [f's.csv:2: us_person: unknown value "yes" ({US_PERSON_HELP})'],
                 id="unknown-us-person"),
    pytest.param("a,A,,IN;FR,,citizen,\n",
                 ["s.csv:2: us_person: citizen, but the citizenships on file (IN, FR) do not include US"],
                 id="citizen-without-home-citizenship"),
    pytest.param("a,A,,CN,CA,lpr,\n",
                 ["s.csv:2: us_person: lpr, but permanent_residence is CA: a lawful permanent resident resides "
                  "in US"],
                 id="lpr-residing-elsewhere"),
    pytest.param("a,A,,US,,lpr,\n", ["s.csv:2: us_person: lpr, but US citizenship is on file: write citizen"],
                 id="lpr-and-citizen"),
    pytest.param("a,A,,US;SY,,protected,\n",
                 ["s.csv:2: us_person: protected, but US citizenship is on file: write citizen"],
                 id="protected-and-citizen"),
    pytest.param("a,A,,IN,,,ravi at example\n", ['s.csv:2: email: "ravi at example" is not an email address'],
                 id="bad-email"),
    pytest.param("a,A,,IN\n", ["s.csv:2: 4 values, but the header has 7 columns"], id="short-row"),
    pytest.param("a,A,,IN,,,,extra\n", ["s.csv:2: 8 values, but the header has 7 columns"], id="long-row"),
    pytest.param('a,"Two\nlines",,IN,,,\nb,B,,XX,,,\n', ['s.csv:4: citizenships: unknown ISO 3166-1 country "XX"'],
                 id="line-numbers-count-physical-lines"),
    pytest.param('a,"Two\nlines",,XX,,,\n', ['s.csv:2: citizenships: unknown ISO 3166-1 country "XX"'],
                 id="multi-line-row-reported-at-its-first-line"),
    pytest.param("a,A,,XX;IN@someday,ZZ,maybe,\n,B,,,,,\n",
                 ['s.csv:2: citizenships: unknown ISO 3166-1 country "XX"',
                  's.csv:2: citizenships: "someday" is not a date (YYYY-MM-DD)',
                  's.csv:2: permanent_residence: unknown ISO 3166-1 country "ZZ"',
                  f's.csv:2: us_person: unknown value "maybe" ({US_PERSON_HELP})',
                  "s.csv:3: id: empty: every subject needs an id"],
                 id="every-problem-of-every-row"),
    pytest.param('a,A,,IN,,,\nb,"B"x,,IN,,,\n', ["s.csv:3: not readable as CSV: ',' expected after '\"'"],
                 id="broken-quoting"),
    pytest.param('a,"A,,IN,,,\n', ["s.csv:2: not readable as CSV: unexpected end of data"],
                 id="unterminated-quote"),
]


@pytest.mark.parametrize(("rows", "expected"), BAD_ROWS)
def test_bad_rows_are_all_reported(rows: str, expected: list[str]) -> None:
    assert rendered(lambda: subjects(HEADER + rows)) == expected


ALL_COLUMNS = "id, name, organization, citizenships, permanent_residence, us_person, email"
BAD_HEADERS = [
    pytest.param("id,name,nationality\n", [f's.csv:1: unknown column "nationality" (expected: {ALL_COLUMNS})'],
                 id="unknown-column"),
    pytest.param("id,nom,pays\n", [f's.csv:1: unknown columns "nom", "pays" (expected: {ALL_COLUMNS})'],
                 id="unknown-columns"),
    pytest.param("name,citizenships\n", ["s.csv:1: no id column: every subject needs an id"], id="no-id"),
    pytest.param("id,name,id\n", ["s.csv:1: column id appears twice"], id="repeated-column"),
    pytest.param("id,name,\n", ["s.csv:1: column 3 has no name"], id="unnamed-column"),
    pytest.param("", ["s.csv: empty file: expected a header row (id,name,organization,citizenships,"
                      "permanent_residence,us_person,email)"], id="empty"),
    pytest.param("\n\n", ["s.csv: empty file: expected a header row (id,name,organization,citizenships,"
                          "permanent_residence,us_person,email)"], id="blank-lines-only"),
]


@pytest.mark.parametrize(("source_text", "expected"), BAD_HEADERS)
def test_bad_header_rejects_the_file(source_text: str, expected: list[str]) -> None:
    assert rendered(lambda: subjects(source_text)) == expected


def test_good_file_with_bom_crlf_blank_lines_spaces_and_any_column_order() -> None:
    source_text = ("\ufeffUS_Person , ID,citizenships,Email,name\r\n"
                   "\r\n"
                   " LPR , mei , CN , mei@example.com , Mei Lin \r\n"
                   ",,,,\r\n"
                   ",ingrid,no,,Ingrid\r\n")
    mei, ingrid = subjects(source_text)
    assert mei == Subject(id="mei", name="Mei Lin", citizenships=(Nationality("CN"),),
                          us_person=UsPersonStatus.LPR, email="mei@example.com")
    assert ingrid == Subject(id="ingrid", name="Ingrid", citizenships=(Nationality("NO"),))
    assert mei.organization is None and ingrid.email is None


def test_header_only_is_no_subjects() -> None:
    assert subjects(HEADER) == []


def test_dates_in_the_future_and_the_most_recent_citizenship() -> None:
    [priya] = subjects(HEADER + "priya,Priya,,IN@2001-05-01;CA@2099-02-11,,,\n")
    assert priya.citizenships == (Nationality("IN", date(2001, 5, 1)), Nationality("CA", date(2099, 2, 11)))
    assert priya.status(HOME) is PersonStatus.FOREIGN


def test_citizen_with_no_citizenship_on_file_is_accepted() -> None:
    [alice] = subjects(HEADER + "alice,Alice,,,,citizen,\n")
    assert alice.us_person is UsPersonStatus.CITIZEN


def test_home_country_is_a_parameter() -> None:
    row = "pierre,Pierre,,FR,,citizen,\n"
    assert load_subjects_csv(HEADER + row, source="s.csv", home_country="FR")[0].us_person is UsPersonStatus.CITIZEN
    assert rendered(lambda: subjects(HEADER + row)) == [
        "s.csv:2: us_person: citizen, but the citizenships on file (FR) do not include US"]


# ---- round trip ---------------------------------------------------------------------------------

COUNTRIES = sorted(all_countries())
_cell = st.text(st.characters(exclude_categories=["Cs"]), max_size=20).map(str.strip)
_word = st.text("abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=10)
emails = st.builds("{}@{}.example".format, _word, _word)
nationalities = st.builds(Nationality, st.sampled_from(COUNTRIES), st.none() | st.dates())


@st.composite
def subject_values(draw: st.DrawFn) -> Subject:
    citizenships = draw(st.lists(nationalities, max_size=3, unique_by=lambda n: n.country))
    residence = draw(st.none() | nationalities)
    us_person = draw(st.none() | st.sampled_from(UsPersonStatus))
    countries = {n.country for n in citizenships}
    assume(us_person is not UsPersonStatus.CITIZEN or not countries or HOME in countries)
    assume(us_person not in (UsPersonStatus.LPR, UsPersonStatus.PROTECTED) or HOME not in countries)
    assume(us_person is not UsPersonStatus.LPR or residence is None or residence.country == HOME)
    return Subject(
        id=draw(_cell.filter(bool)),
        name=draw(_cell),
        organization=draw(st.none() | _cell.filter(bool)),
        citizenships=tuple(citizenships),
        permanent_residence=residence,
        us_person=us_person,
        email=draw(st.none() | emails),
    )


@given(st.lists(subject_values(), max_size=8, unique_by=lambda s: s.id))
def test_any_valid_subjects_survive_a_round_trip_through_csv(values: list[Subject]) -> None:
    assert subjects(subjects_to_csv(values)) == values
