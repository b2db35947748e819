"""[[oidc]] settings: a misconfigured issuer stops the gateway at start-up with a clear ConfigError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from identity_helpers import SigningKey, write_jwks

from clearance.errors import ConfigError
from clearance.gateway.identity import issuers_from_settings
from clearance.settings import load_settings

GOOD = '[[oidc]]\nissuer = "https://id.example/"\naudience = "clearance"\njwks_file = "jwks.json"\n'


def write(home: Path, text: str) -> Path:
    path = home / "clearance.toml"
    path.write_text(text, "utf-8")
    return path


def test_defaults(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    (entry,) = load_settings(tmp_path).oidc
    assert entry.algorithms == ["RS256", "ES256"]
    assert (entry.subject_claim, entry.leeway_seconds, entry.claims) == ("sub", 0.0, {})
    assert entry.audiences == ["clearance"]
    assert load_settings(tmp_path / "none").oidc == []


ERRORS = [
    (GOOD + 'algorithms = ["none"]\n', 'oidc[1].algorithms: "none" accepts unsigned tokens that anyone can write'),
    (GOOD + 'algorithms = ["RS256", "NONE"]\n', 'oidc[1].algorithms: "NONE" accepts unsigned tokens'),
    (GOOD + 'algorithms = ["HS256"]\n', 'oidc[1].algorithms: "HS256" is a shared-secret algorithm'),
    (GOOD + 'algorithms = ["ES256", "hs512"]\n', 'oidc[1].algorithms: "hs512" is a shared-secret algorithm'),
    (GOOD + 'algorithms = ["RS257"]\n', 'oidc[1].algorithms: unknown algorithm "RS257" (use RS256, RS384'),
    (GOOD + "algorithms = []\n", "oidc[1].algorithms: empty: no token could be verified"),
    (GOOD + 'jwks_url = "https://id.example/jwks"\n',
     "oidc[1].jwks_file: give exactly one of jwks_file (a JWKS file) or jwks_url (where to fetch it); both are set"),
    ('[[oidc]]\nissuer = "https://id.example/"\naudience = "clearance"\n', "oidc[1].jwks_file: give exactly one of"),
    ('[[oidc]]\nissuer = "i"\naudience = "a"\njwks_url = "http://id.example/jwks"\n',
     "oidc[1].jwks_url: keys that decide who may call must come over https"),
    ('[[oidc]]\nissuer = "i"\naudience = "a"\njwks_url = "ftp://id.example/jwks"\n',
     'oidc[1].jwks_url: "ftp://id.example/jwks" is not an http(s) URL'),
    ('[[oidc]]\nissuer = "i"\njwks_file = "j"\n', "oidc[1].audience: Field required"),
    ('[[oidc]]\nissuer = "i"\naudience = ""\njwks_file = "j"\n', "oidc[1].audience: name the audience"),
    ('[[oidc]]\nissuer = "i"\naudience = []\njwks_file = "j"\n', "oidc[1].audience: name the audience"),
    ('[[oidc]]\nissuer = ""\naudience = "a"\njwks_file = "j"\n', "oidc[1].issuer: String should have at least 1"),
    (GOOD + "leeway_seconds = -1\n", "oidc[1].leeway_seconds: Input should be greater than or equal to 0"),
    (GOOD + 'subject_claim = ""\n', "oidc[1].subject_claim: String should have at least 1 character"),
    (GOOD + '[oidc.claims]\ncitizenship = "nat"\n', 'oidc[1].claims: unknown subject attribute "citizenship" '
                                                     "(known: name, organization, citizenships"),
    (GOOD + '[oidc.claims]\nid = "sub"\n', "oidc[1].claims: the subject id comes from subject_claim"),
    (GOOD + '[oidc.claims]\nname = " "\n', "oidc[1].claims: name: empty claim name"),
    (GOOD + 'audiences = ["x"]\n', "oidc[1].audiences: unknown key (known here: issuer, audience, jwks_file"),
    (GOOD + GOOD, 'oidc[2].issuer: a second [[oidc]] entry for issuer "https://id.example/"'),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_bad_oidc_settings_name_the_file_entry_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert f"{path}: {message}" in str(caught.value)
    assert caught.value.exit_code == 78


def test_loopback_may_serve_keys_over_plain_http(tmp_path: Path) -> None:
    for host in ("127.0.0.1:8081", "localhost", "[::1]:9000"):
        write(tmp_path, f'[[oidc]]\nissuer = "i"\naudience = "a"\njwks_url = "http://{host}/jwks"\n')
        assert load_settings(tmp_path).oidc[0].jwks_url == f"http://{host}/jwks"


def test_the_environment_is_checked_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_OIDC", json.dumps([{"issuer": "i", "audience": "a", "jwks_file": "j",
                                                      "algorithms": ["HS256"]}]))
    with pytest.raises(ConfigError, match=r'CLEARANCE_OIDC: oidc\[1\]\.algorithms: "HS256" is a shared-secret'):
        load_settings(tmp_path)


@pytest.mark.parametrize(("content", "message"), [
    (None, "jwks_file {path}: cannot be read"),
    ("{", "jwks_file {path}: not JSON"),
    ('{"keys": {}}', 'not a JWKS (a JSON object with a "keys" list)'),
    ('{"keys": [{"kty": "RSA", "use": "enc", "kid": "e"}]}', "jwks_file {path}: holds no signing keys"),
])
def test_an_unusable_key_file_stops_the_start(tmp_path: Path, content: str | None, message: str) -> None:
    write(tmp_path, GOOD)
    path = tmp_path / "jwks.json"
    if content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(ConfigError) as caught:
        issuers_from_settings(load_settings(tmp_path))
    assert "oidc: issuer https://id.example/: " in caught.value.message
    assert message.format(path=path) in caught.value.message


def test_a_good_key_file_is_read_relative_to_the_home(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("jwks.json", "keys/idp.json"))
    (tmp_path / "keys").mkdir()
    write_jwks(tmp_path / "keys", SigningKey.ec(), name="idp.json")
    (issuer,) = issuers_from_settings(load_settings(tmp_path))
    assert issuer.issuer == "https://id.example/"
    assert issuer.algorithms == frozenset({"RS256", "ES256"})
