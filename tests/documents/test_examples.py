"""The example files a new user starts from load cleanly and say what the design says."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.documents import load_directives, load_licenses, load_subjects_csv
from clearance.domain.catalog import DEMO_CATALOG
from clearance.domain.directives import Action, Mode, Persons
from clearance.domain.licenses import LicenseStatus
from clearance.domain.subjects import PersonStatus

from .helpers import GROUPS, HOME

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("path", sorted((EXAMPLES / "directives").glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_directive_loads_without_warnings(path: Path) -> None:
    loaded = load_directives(path.read_text("utf-8"), source=str(path), groups=GROUPS, catalog=DEMO_CATALOG,
                             home_country=HOME)
    assert loaded
    assert all(d.warnings(DEMO_CATALOG) == [] for d in loaded)


def test_the_news_story_directive() -> None:
    path = EXAMPLES / "directives" / "bis-2026-ai-001.yaml"
    [directive] = load_directives(path.read_text("utf-8"), source=path.name, groups=GROUPS, catalog=DEMO_CATALOG,
                                  home_country=HOME)
    assert directive.id == "BIS-2026-AI-001"
    assert directive.mode is Mode.ENFORCE
    assert directive.scope.models == ("fable-5", "mythos-5")
    assert directive.restrict.persons is Persons.FOREIGN and directive.restrict.all_destinations
    assert directive.action is Action.DENY


def test_the_crimea_embargo() -> None:
    path = EXAMPLES / "directives" / "crimea.yaml"
    [directive] = load_directives(path.read_text("utf-8"), source=path.name, groups=GROUPS, catalog=DEMO_CATALOG,
                                  home_country=HOME)
    assert directive.restrict.persons is Persons.ALL
    assert directive.restrict.destinations == ("UA-43", "UA-40")


def test_the_example_licenses() -> None:
    path = EXAMPLES / "licenses.yaml"
    loaded = load_licenses(path.read_text("utf-8"), source=path.name, groups=GROUPS)
    assert [str(lic.holder) for lic in loaded] == ["organization:fable-labs", "subject:ravi", "destination:NO"]
    assert loaded[2].status is LicenseStatus.SUSPENDED


def test_the_people_of_the_news_story() -> None:
    path = EXAMPLES / "subjects.csv"
    people = {s.id: s for s in load_subjects_csv(path.read_text("utf-8"), source=path.name, home_country=HOME)}
    status = {ident: s.status(HOME) for ident, s in people.items()}
    assert status == {
        "alice": PersonStatus.US_PERSON,  # citizen
        "ravi": PersonStatus.FOREIGN,  # foreign national inside the US
        "oliver": PersonStatus.FOREIGN,  # the provider's own foreign employee
        "mei": PersonStatus.US_PERSON,  # green-card holder
        "yusuf": PersonStatus.US_PERSON,  # refugee
        "camille": PersonStatus.US_PERSON,  # dual US/FR national
        "priya": PersonStatus.FOREIGN,  # IN, then CA: deemed CA
        "sam": PersonStatus.UNKNOWN,  # nothing on file
        "ingrid": PersonStatus.FOREIGN,  # Norway, spelt NO
    }
    assert people["oliver"].organization == "fable-labs"
    assert [str(c) for c in people["priya"].citizenships] == ["IN@2001-05-01", "CA@2019-02-11"]
