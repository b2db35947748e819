"""Every list format reads the real shared files whole, with counts taken independently of the parsers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from screening_data import DATA, HERE

from clearance.errors import DataError, NotFound, UsageError
from clearance.screening import EntityType, ParsedList, load_list
from clearance.screening.sdn import birth_dates


def _lines(path: Path) -> int:
    """Non-empty lines, after OFAC's trailing 0x1A: no row of these files spans two lines."""
    return sum(1 for line in path.read_bytes().rstrip(b"\x1a").splitlines() if line.strip())


def test_sdn_2021_with_alt_and_add(sdn_2021: ParsedList) -> None:
    folder = DATA / "ofac_sdn_legacy_2021-07-07"
    assert len(sdn_2021.entries) == _lines(folder / "sdn.csv") == 8976
    assert sdn_2021.problems == ()
    assert sum(len(e.aliases) for e in sdn_2021.entries) == _lines(folder / "alt.csv")
    assert sdn_2021.info.name == "OFAC SDN" and sdn_2021.info.version == date(2021, 7, 7)
    bnc = next(e for e in sdn_2021.entries if e.entry_id == "ofac-sdn:306")
    assert bnc.name == "BANCO NACIONAL DE CUBA" and "NATIONAL BANK OF CUBA" in bnc.aliases
    assert {"CH", "ES", "JP", "PA"} <= set(bnc.countries) and bnc.programs == ("CUBA",)
    assert bnc.entity_type is EntityType.ORGANIZATION
    kinds = {e.entity_type for e in sdn_2021.entries}
    assert kinds == {EntityType.PERSON, EntityType.ORGANIZATION, EntityType.VESSEL, EntityType.AIRCRAFT}


def test_sdn_2024_alone(sdn_2024: ParsedList) -> None:
    assert len(sdn_2024.entries) == _lines(DATA / "ofac_sdn_2024-05-03" / "sdn.csv") == 14965
    assert sdn_2024.problems == () and sdn_2024.info.version == date(2024, 5, 3)
    putin = next(e for e in sdn_2024.entries if e.name == "PUTIN, Vladimir Vladimirovich")
    assert putin.birth_dates == ("1952-10-07",) and putin.entity_type is EntityType.PERSON


def test_consolidated_non_sdn() -> None:
    folder = DATA / "ofac_consolidated_nonsdn_2025-12-19"
    parsed = load_list(folder / "cons_prim.csv", "sdn")
    assert len(parsed.entries) == _lines(folder / "cons_prim.csv") and parsed.problems == ()
    assert sum(len(e.aliases) for e in parsed.entries) == _lines(folder / "cons_alt.csv")
    assert parsed.info.name == "OFAC Consolidated (non-SDN)"
    assert all(e.entry_id.startswith("ofac-cons:") for e in parsed.entries)


@pytest.mark.parametrize("name", ["csl_consolidated_sample_2025-06-25.csv", "csl_sample_2019-12-03.csv"])
def test_csl_csv_both_headers(name: str) -> None:
    import csv

    path = DATA / "csl_samples" / name
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    parsed = load_list(path, "csl")
    assert len(parsed.entries) == len(rows) and parsed.problems == ()
    assert len({e.entry_id for e in parsed.entries}) == len(rows)
    assert all(e.list_name.startswith("CSL ") for e in parsed.entries)


def test_csl_json_compacted() -> None:
    path = DATA / "csl_derived_2026-07-31" / "screening-list.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    parsed = load_list(path, "csl")
    assert len(parsed.entries) == len(raw["entries"]) == raw["entryCount"]
    assert parsed.problems == () and parsed.info.version == date(2026, 7, 31)
    by_list: dict[str, int] = {}
    for entry in parsed.entries:
        by_list[entry.list_name] = by_list.get(entry.list_name, 0) + 1
    assert by_list["CSL SDN"] == raw["countsBySource"]["Specially Designated Nationals (SDN) - Treasury Department"]
    assert len({e.entry_id for e in parsed.entries}) == len(parsed.entries)


def test_dpl() -> None:
    path = DATA / "bis_dpl_2022-09-07" / "dpl.txt"
    parsed = load_list(path, "dpl")
    assert len(parsed.entries) == _lines(path) - 1 and parsed.problems == ()     # minus the header
    assert parsed.entries[1].name == "AARON ABRAHAM VILLA" and parsed.info.version == date(2022, 9, 7)


def test_ftm_sample() -> None:
    parsed = load_list(HERE / "ftm_sample.jsonl", "ftm")
    assert [e.entry_id for e in parsed.entries] == ["ftm:NK-putin", "ftm:NK-rosneft", "ftm:NK-vessel",
                                                     "ftm:NK-airplane"]
    assert parsed.skipped == 1
    assert [(p.line, p.field) for p in parsed.problems] == [(5, "properties.name"), (6, None), (7, None)]
    putin, rosneft, vessel, plane = parsed.entries
    assert putin.countries == ("RU",) and putin.birth_dates == ("1952-10-07",) and putin.list_name == "us_ofac_sdn"
    assert rosneft.entity_type is EntityType.ORGANIZATION and vessel.entity_type is EntityType.VESSEL
    assert plane.countries == ("IR",) and plane.entity_type is EntityType.AIRCRAFT


def test_malformed_rows_reported_by_line(tmp_path: Path) -> None:
    folder = tmp_path / "ofac_2020-01-02"
    folder.mkdir()
    (folder / "sdn.csv").write_bytes(
        b'1,"GOOD NAME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'2,"SHORT ROW",-0- \r\n'
        b'x,"BAD NUMBER",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'4,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a')
    (folder / "alt.csv").write_bytes(b'1,10,"aka","ALIAS ONE",-0- \r\n99,11,"aka","ORPHAN",-0- \r\n')
    parsed = load_list(folder / "sdn.csv", "sdn")
    assert [e.name for e in parsed.entries] == ["GOOD NAME"] and parsed.entries[0].aliases == ("ALIAS ONE",)
    assert [(Path(p.source or "").name, p.line, p.field) for p in parsed.problems] == [
        ("sdn.csv", 2, None), ("sdn.csv", 3, "ent_num"), ("sdn.csv", 4, "SDN_Name"), ("alt.csv", 2, "ent_num")]
    assert parsed.info.version == date(2020, 1, 2)


def test_csl_row_problems(tmp_path: Path) -> None:
    path = tmp_path / "csl.csv"
    path.write_text("source,name,alt_names\nDPL,Good One,\nDPL,,x\nDPL,too,many,fields\n", encoding="utf-8")
    parsed = load_list(path, "csl")
    assert [e.name for e in parsed.entries] == ["Good One"]
    assert [(p.line, p.field) for p in parsed.problems] == [(3, "name"), (4, None)]


def test_whole_file_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        load_list(tmp_path / "missing.csv", "sdn")
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="header"):
        load_list(tmp_path / "x.csv", "csl")
    with pytest.raises(UsageError):
        load_list(tmp_path / "x.csv", "xml")


@pytest.mark.parametrize(("remarks", "expected"), [
    ("DOB 05 Dec 1978; POB Pyongyang", ("1978-12-05",)),
    ("DOB 1962; POB Shati.", ("1962",)),
    ("DOB Mar 1960; alt. DOB 1961", ("1960-03", "1961")),
    ("DOB circa 1955", ("1955",)),
    ("DOB 1969 to 1971", ("1969", "1971")),
    ("no date here", ()),
])
def test_birth_dates_from_remarks(remarks: str, expected: tuple[str, ...]) -> None:
    assert birth_dates(remarks) == expected
