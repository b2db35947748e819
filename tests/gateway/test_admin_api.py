"""The admin API on a running gateway: operator tokens and roles, screening and review, audit search.

A listed party holds a key and a license; the gateway lets them through until the list is loaded,
then refuses them PENDING_REVIEW, and RESTRICTED_PARTY once a compliance officer confirms the match
over the admin API; the whole story is then found in the audit trail through the same API.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_upstream import FakeUpstream
from gateway_process import GatewayHome, GatewayProcess, make_home, start_gateway

DPL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "screening" / "bis_dpl_2022-09-07" / "dpl.txt"
US = {"x-forwarded-for": "8.8.8.8"}
SUBJECTS = """id,name,organization,citizenships,permanent_residence,us_person,email
aaron,Aaron Abraham Villa,,MX,,,aaron@example.com
alice,Alice Carter,,US,,citizen,alice@example.com
"""
LICENSES = """licenses:
  - id: LIC-ADMIN-1
    holder: subject:aaron
    models: [fable-5]
    directives: [BIS-2026-AI-001]
    valid_from: 2026-11-01
"""


@pytest.fixture(scope="module")
def gateway_home(fake: FakeUpstream, tmp_path_factory: pytest.TempPathFactory) -> GatewayHome:
    tmp = tmp_path_factory.mktemp("admin")
    home = make_home(tmp / "home", f"sqlite:///{tmp / 'home' / 'clearance.db'}", openai_url=fake.openai_base_url,
                     anthropic_url=fake.anthropic_base_url, directives=("bis-2026-ai-001.yaml",))
    (tmp / "people.csv").write_text(SUBJECTS, encoding="utf-8")
    (tmp / "licenses.yaml").write_text(LICENSES, encoding="utf-8")
    home.cli("subjects", "import", str(tmp / "people.csv"))
    home.cli("licenses", "import", str(tmp / "licenses.yaml"))
    for subject in ("aaron", "alice"):
        home.key_for(subject)
    return home


@pytest.fixture(scope="module")
def tokens(gateway_home: GatewayHome) -> dict[str, str]:
    return {role: json.loads(gateway_home.cli("tokens", "create", "--role", role, "--json").stdout)["token"]
            for role in ("auditor", "compliance", "admin")}


@pytest.fixture(scope="module")
def gateway(gateway_home: GatewayHome, tokens: dict[str, str],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    process = start_gateway(gateway_home, tmp_path_factory.mktemp("admin-log"))
    yield process
    process.stop()


def as_(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def chat(gateway: GatewayProcess, subject: str) -> tuple[int, Any]:
    status, _, body = gateway.post("/v1/chat/completions",
                                   {"model": "fable-5", "messages": [{"role": "user", "content": "hi"}]},
                                   {"authorization": f"Bearer {gateway.home.key_for(subject)}", **US})
    return status, body


@pytest.mark.parametrize("path", ["/admin/api/audit/records", "/admin/api/reviews", "/admin/api/directives",
                                  "/admin/api/licenses", "/admin/api/subjects/alice", "/admin/api/audit/verify"])
def test_the_admin_api_is_never_open(gateway: GatewayProcess, path: str) -> None:
    assert gateway.get(path)[0] == 401
    assert gateway.get(path, as_(gateway.home.key_for("alice")))[0] == 401  # a model-API key is not enough
    assert gateway.get(path, as_("clt_000000000000_forged"))[0] == 401


def test_a_listed_party_through_review_to_refusal(gateway: GatewayProcess, gateway_home: GatewayHome,
                                                  tokens: dict[str, str]) -> None:
    assert chat(gateway, "aaron")[0] == 200  # licensed, and no list loaded yet
    before = gateway.revision()
    gateway_home.cli("lists", "import", str(DPL), "--format", "dpl")
    gateway.wait_for_revision_change(before)
    status, body = chat(gateway, "aaron")
    assert (status, body["error"]["code"]) == (451, "PENDING_REVIEW"), body

    status, _, queue = gateway.get("/admin/api/reviews", as_(tokens["auditor"]))
    assert status == 200
    [match] = [r for r in queue["results"] if r["party"] == "subject:aaron"]
    confirm = f"/admin/api/reviews/{match['id']}/confirm"
    assert gateway.post(confirm, {"reason": "same person"}, as_(tokens["auditor"]))[0] == 403  # auditors read
    assert gateway.post(confirm, {}, as_(tokens["compliance"]))[0] == 400  # a reason is required
    before = gateway.revision()
    status, _, reviewed = gateway.post(confirm, {"reason": "same address as the denial order", "reviewer": "jo"},
                                       as_(tokens["compliance"]))
    assert status == 200, reviewed
    assert reviewed["status"] == "confirmed" and "jo" in reviewed["reviewed_by"]
    gateway.wait_for_revision_change(before)
    status, body = chat(gateway, "aaron")
    assert (status, body["error"]["code"]) == (451, "RESTRICTED_PARTY"), body
    assert chat(gateway, "alice")[0] == 200

    status, _, found = gateway.get("/admin/api/audit/records?subject=aaron&effect=deny&limit=10",
                                   as_(tokens["auditor"]))
    assert status == 200
    codes = [r["payload"]["decision"]["reasons"][0]["code"] for r in found["records"]]
    assert codes == ["RESTRICTED_PARTY", "PENDING_REVIEW"]  # newest first
    status, _, report = gateway.get("/admin/api/audit/verify", as_(tokens["auditor"]))
    assert status == 200 and report["ok"] is True and report["records"] >= 4


def test_screening_over_the_admin_api(gateway: GatewayProcess, gateway_home: GatewayHome,
                                      tokens: dict[str, str]) -> None:
    if not gateway.get("/admin/api/reviews?status=all", as_(tokens["auditor"]))[2]["results"]:
        before = gateway.revision()
        gateway_home.cli("lists", "import", str(DPL), "--format", "dpl")
        gateway.wait_for_revision_change(before)
    status, _, body = gateway.post("/admin/api/screen", {"names": ["Aaron Abraham Villa", "Alice Carter"]},
                                   as_(tokens["auditor"]))
    assert status == 200, body
    hits = {r["query"]: r["matches"] for r in body["results"]}
    assert hits["Aaron Abraham Villa"][0]["list"] == "BIS DPL"
    assert hits["Alice Carter"] == []


@pytest.mark.parametrize(("path", "body", "param"), [
    ("/admin/api/screen", {"names": []}, "names"),
    ("/admin/api/screen", {"names": ["x"], "threshold": 3}, "threshold"),
    ("/admin/api/screen", {"names": ["x"], "type": "dragon"}, "type"),
])
def test_bad_admin_requests_are_400_with_a_reason(gateway: GatewayProcess, tokens: dict[str, str], path: str,
                                                  body: dict[str, Any], param: str) -> None:
    status, _, answer = gateway.post(path, body, as_(tokens["admin"]))
    assert status == 400, answer
    assert answer["error"]["message"]
    assert (answer["error"]["type"], answer["error"]["code"], answer["error"]["param"]) == (
        "invalid_request_error", "invalid_request", param)


@pytest.mark.parametrize(("path", "role", "status", "code", "param"), [
    ("/admin/api/audit/records?since=yesterday", "auditor", 400, "invalid_request", "since"),
    ("/admin/api/audit/records?limit=0", "auditor", 400, "invalid_request", "limit"),
    ("/admin/api/licenses?status=lapsed", "auditor", 400, "invalid_request", "status"),
    ("/admin/api/subjects/nobody", "auditor", 404, "not_found", None),
    ("/admin/api/reviews", None, 401, "invalid_token", None),
])
def test_admin_errors_have_the_model_apis_shape_with_a_code_and_the_parameter_at_fault(
        gateway: GatewayProcess, tokens: dict[str, str], path: str, role: str | None, status: int, code: str,
        param: str | None) -> None:
    got, _, answer = gateway.get(path, as_(tokens[role]) if role else {})
    assert (got, answer["error"]["code"], answer["error"].get("param")) == (status, code, param), answer


def test_admin_reads(gateway: GatewayProcess, tokens: dict[str, str]) -> None:
    status, _, body = gateway.get("/admin/api/directives", as_(tokens["auditor"]))
    assert status == 200 and [d["id"] for d in body["directives"]] == ["BIS-2026-AI-001"]
    status, _, body = gateway.get("/admin/api/licenses?status=active", as_(tokens["auditor"]))
    assert status == 200 and "LIC-ADMIN-1" in [lic["id"] for lic in body["licenses"]]
    assert gateway.get("/admin/api/subjects/nobody", as_(tokens["auditor"]))[0] == 404
    assert gateway.get("/admin/api/audit/records?since=yesterday", as_(tokens["auditor"]))[0] == 400
    assert gateway.get("/admin/api/licenses?status=lapsed", as_(tokens["auditor"]))[0] == 400
