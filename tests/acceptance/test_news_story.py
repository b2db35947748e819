"""The November 2026 directive, run through the `clearance` command as a user would.

Each row is one person of the story asking for a model; the exit status is the effect
(0 allow, 1 deny, 2 degrade or safeguard) and the JSON explains it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import Cli

# (id, subject, model, where, at, exit status, effect, reason codes, license)
SCENARIOS = [
    ("us-citizen", "alice", "fable-5", ["--location", "US"], None, 0, "allow", ["NOT_RESTRICTED"], None),
    ("foreign-national-inside-us", "ingrid", "fable-5", ["--location", "US"], None, 1, "deny",
     ["DEEMED_EXPORT"], None),
    ("licensed-foreign-national", "ravi", "fable-5", ["--location", "US"], None, 0, "allow", ["LICENSED"],
     "LIC-2026-0002"),
    ("license-for-another-model", "ravi", "mythos-5", ["--location", "US"], None, 1, "deny",
     ["DEEMED_EXPORT"], None),
    ("license-not-yet-valid", "ravi", "fable-5", ["--location", "US"], "2026-11-19T12:00:00Z", 1, "deny",
     ["DEEMED_EXPORT"], None),
    ("license-for-another-destination", "ravi", "fable-5", ["--location", "GB"], None, 1, "deny",
     ["EXPORT_FROM_LOCATION", "DEEMED_EXPORT"], None),
    ("foreign-employee-org-license", "oliver", "mythos-5", ["--location", "US"], None, 0, "allow",
     ["LICENSED"], "LIC-2026-0001"),
    ("org-license-expired", "oliver", "mythos-5", ["--location", "US"], "2027-12-01T00:00:00Z", 1, "deny",
     ["DEEMED_EXPORT"], None),
    ("green-card-holder", "mei", "fable-5", ["--location", "US"], None, 0, "allow", ["NOT_RESTRICTED"], None),
    ("refugee", "yusuf", "mythos-5", ["--location", "US"], None, 0, "allow", ["NOT_RESTRICTED"], None),
    ("dual-national-with-us", "camille", "fable-5", ["--location", "US"], None, 0, "allow",
     ["NOT_RESTRICTED"], None),
    ("most-recent-citizenship", "priya", "fable-5", ["--location", "US"], None, 1, "deny", ["DEEMED_EXPORT"],
     None),
    ("unknown-citizenship", "sam", "fable-5", ["--location", "US"], None, 1, "deny", ["UNKNOWN_CITIZENSHIP"],
     None),
    ("suspended-destination-license", "ingrid", "fable-5", ["--location", "NO"], None, 1, "deny",
     ["EXPORT_FROM_LOCATION", "DEEMED_EXPORT"], None),
    ("us-citizen-in-crimea", "alice", "fable-4", ["--ip", "31.135.96.1"], None, 1, "deny",
     ["EXPORT_FROM_LOCATION"], None),
    ("us-citizen-in-crimea-registered-ru", "alice", "fable-4", ["--ip", "91.205.216.1"], None, 1, "deny",
     ["EXPORT_FROM_LOCATION"], None),
    ("us-citizen-in-sevastopol", "alice", "fable-5", ["--ip", "5.149.208.1"], None, 1, "deny",
     ["EXPORT_FROM_LOCATION"], None),
    ("us-citizen-in-kyiv", "alice", "fable-5", ["--location", "UA-30"], None, 0, "allow", ["NOT_RESTRICTED"],
     None),
    ("foreign-national-other-model", "ingrid", "fable-4", ["--location", "US"], None, 0, "allow",
     ["NOT_RESTRICTED"], None),
    ("before-the-directive", "ingrid", "fable-5", ["--location", "US"], "2026-11-15T23:59:59Z", 0, "allow",
     ["NOT_RESTRICTED"], None),
    ("unknown-location-us-citizen", "alice", "fable-5", [], None, 0, "allow", ["NOT_RESTRICTED"], None),
    ("unknown-location-foreign", "ingrid", "fable-4", [], None, 0, "allow", ["NOT_RESTRICTED"], None),
]


@pytest.mark.parametrize(("subject", "model", "where", "at", "status", "effect", "codes", "license"),
                         [pytest.param(*row[1:], id=row[0]) for row in SCENARIOS])
def test_news_story(news_home: Cli, subject: str, model: str, where: list[str], at: str | None, status: int,
                    effect: str, codes: list[str], license: str | None) -> None:
    args = ["decide", "--subject", subject, "--model", model, *where, "--json"]
    if at:
        args += ["--at", at]
    result = news_home(*args)
    assert result.code == status, result.stderr
    decision = result.json()
    assert decision["effect"] == effect
    assert sorted({r["code"] for r in decision["reasons"]}) == sorted(codes)
    assert decision["subject"] == subject and decision["model"] == model
    assert decision["served_model"] == (None if effect == "deny" else model)
    if license:
        assert {r["license"] for r in decision["reasons"]} == {license}
    assert len(decision["policy_version"]) == 16 and decision["decision_id"]


def test_human_output_names_the_directive_and_reason(news_home: Cli) -> None:
    result = news_home("decide", "--subject", "priya", "--model", "fable-5", "--location", "US")
    assert result.code == 1
    assert "DENY" in result.stdout and "BIS-2026-AI-001" in result.stdout and "DEEMED_EXPORT" in result.stdout
    assert "deemed:CA" in result.stdout  # the most recent citizenship, not the first (IN)


def test_partial_license_coverage_is_explained(news_home: Cli) -> None:
    """Ravi's license covers his deemed export to India, not an access from Britain."""
    decision = news_home("decide", "--subject", "ravi", "--model", "fable-5", "--location", "GB", "--json").json()
    deemed = next(r for r in decision["reasons"] if r["code"] == "DEEMED_EXPORT")
    assert "LIC-2026-0002 covers this destination" in deemed["detail"]
    located = next(r for r in decision["reasons"] if r["code"] == "EXPORT_FROM_LOCATION")
    assert "LIC-2026-0002" not in located["detail"]


def test_inline_subject(news_home: Cli) -> None:
    subject = '{"id": "visitor", "citizenships": ["IN@2001-05-01", "CA@2019-02-11"]}'
    result = news_home("decide", "--subject-json", subject, "--model", "mythos-5", "--location", "US", "--json")
    assert result.code == 1
    assert result.json()["destinations"] == ["deemed:CA", "citizenship:IN"]


def test_policy_export_shows_compiled_directives(news_home: Cli) -> None:
    result = news_home("policy", "export")
    assert result.code == 0
    assert '@id("BIS-2026-AI-001")' in result.stdout and "forbid" in result.stdout
    assert 'Clearance::Place::"UA-43"' in result.stdout
    schema = news_home("policy", "export", "--schema")
    assert schema.code == 0 and "entity Target" in schema.stdout


def test_lists_and_shows(news_home: Cli) -> None:
    listed = news_home("directives", "list", "--json")
    assert sorted(d["id"] for d in listed.json()) == ["BIS-2026-AI-001", "EMB-UA-CRIMEA"]
    shown = news_home("directives", "show", "BIS-2026-AI-001", "--json").json()
    assert shown["restrict"]["persons"] == "foreign" and "forbid" in shown["cedar"]
    person = news_home("subjects", "show", "priya", "--json").json()
    assert person["status"] == "foreign" and person["deemed_destinations"] == ["CA"]
    licenses = news_home("licenses", "list", "--status", "active", "--json").json()
    assert sorted(lic["id"] for lic in licenses) == ["LIC-2026-0001", "LIC-2026-0002"]


def test_demo_shows_the_story_on_a_fresh_home(tmp_path: Path) -> None:
    """The README's first command: `clearance demo` on nothing but the installed package."""
    runner = Cli(tmp_path / "demo", "")
    result = runner("demo", "--home", str(tmp_path / "demo"))
    assert result.code == 0, result.stderr
    decisions, _, through_gateway = result.stdout.partition("through the gateway")
    rows = {line.split("│")[1].strip(): line for line in decisions.splitlines()
            if line.startswith("│") and line.split("│")[1].strip()}
    assert "allow" in rows["alice"] and "deny" not in rows["alice"]
    assert "deny" in rows["priya"] and "DEEMED_EXPORT" in rows["priya"]
    assert "LICENSED" in rows["ravi"] and "deny" in rows["ravi"]  # licensed for fable-5, not mythos-5
    # then the same callers through the live gateway, over HTTP, and the audit trail they left
    live = [line for line in through_gateway.splitlines() if line.startswith("│")]
    assert any(line.split("│")[1].strip() == "alice" and "200" in line for line in live), result.stdout
    assert any(line.split("│")[1].strip() == "priya" and "451" in line and "DEEMED_EXPORT" in line
               for line in live), result.stdout
    assert "signed checkpoints verify" in result.stdout
    again = runner("demo", "--home", str(tmp_path / "demo"))  # idempotent: the same home, nothing duplicated
    assert again.code == 0, again.stderr
