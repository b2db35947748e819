"""Settings: defaults, file < environment < argument, and errors that name their file and key."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearance.domain.catalog import DEMO_CATALOG
from clearance.domain.groups import BUNDLED_VERSION
from clearance.errors import ConfigError
from clearance.settings import (
    GatewaySettings,
    Settings,
    default_toml,
    load_settings,
    resolve_home,
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The developer's own CLEARANCE_* variables must not leak into these tests."""
    for name in list(os.environ):
        if name.upper().startswith("CLEARANCE_"):
            monkeypatch.delenv(name)
    yield


def write(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "clearance.toml"
    path.write_text(text, "utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent-home")
    assert settings.home == tmp_path / "absent-home"
    assert settings.database_url == "sqlite:///clearance.db"
    assert settings.home_country == "US"
    assert settings.country_groups == ""
    assert settings.gateway == GatewaySettings(host="127.0.0.1", port=8080, trusted_proxies=["127.0.0.1/32"],
                                               geoip_database="")
    assert settings.upstreams == [] and settings.models == []
    assert settings.catalog() == DEMO_CATALOG
    assert settings.groups().version == BUNDLED_VERSION
    assert settings.geoip_path() is None


FILE = """
database_url = "postgresql://file@db/clearance"
home_country = "gb"
[gateway]
host = "0.0.0.0"
port = 9001
trusted_proxies = ["10.0.0.0/8", "::1"]
"""


@pytest.mark.parametrize(("env", "argument", "expected"), [
    ({}, None, {"database_url": "postgresql://file@db/clearance", "home_country": "GB", "port": 9001,
                "host": "0.0.0.0"}),
    ({"CLEARANCE_GATEWAY__PORT": "9000"}, None, {"port": 9000, "host": "0.0.0.0"}),  # nested merge
    ({"clearance_gateway__port": "9002"}, None, {"port": 9002}),  # names are case-insensitive
    ({"CLEARANCE_GATEWAY": '{"port": 7000}'}, None, {"port": 7000}),  # a table as JSON
    ({"CLEARANCE_HOME_COUNTRY": "de"}, None, {"home_country": "DE"}),
    ({"CLEARANCE_DATABASE_URL": "postgresql://env@db/c"}, None, {"database_url": "postgresql://env@db/c"}),
    ({"CLEARANCE_DATABASE_URL": "postgresql://env@db/c"}, "postgresql://arg@db/c",
     {"database_url": "postgresql://arg@db/c"}),
    ({}, "sqlite:///other.db", {"database_url": "sqlite:///other.db", "home_country": "GB"}),
])
def test_argument_beats_environment_beats_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               env: dict[str, str], argument: str | None,
                                               expected: dict[str, object]) -> None:
    write(tmp_path, FILE)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(tmp_path, database_url=argument)
    seen = {"database_url": settings.database_url, "home_country": settings.home_country,
            "port": settings.gateway.port, "host": settings.gateway.host}
    assert {key: seen[key] for key in expected} == expected
    assert settings.gateway.trusted_proxies == ["10.0.0.0/8", "::1/128"]


def test_lists_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_UPSTREAMS", '[{"name": "u", "kind": "openai", "base_url": "http://x/v1"}]')
    monkeypatch.setenv("CLEARANCE_MODELS", '[{"id": "m", "upstream": "u", "tier": "frontier"}]')
    settings = load_settings(tmp_path)
    assert [m.id for m in settings.catalog()] == ["m"]
    assert settings.models[0].upstream_model == "m"


@pytest.mark.parametrize(("url", "resolved"), [
    ("sqlite:///clearance.db", "sqlite:///{home}/clearance.db"),
    ("sqlite:///data/c.db?mode=ro", "sqlite:///{home}/data/c.db?mode=ro"),
    ("sqlite+pysqlite:///c.db", "sqlite+pysqlite:///{home}/c.db"),
    ("sqlite:////var/lib/c.db", "sqlite:////var/lib/c.db"),
    ("sqlite:///:memory:", "sqlite:///:memory:"),
    ("sqlite://", "sqlite://"),
    ("postgresql://u:p@db:5432/clearance", "postgresql://u:p@db:5432/clearance"),
    ("postgresql+psycopg://u@db/clearance", "postgresql+psycopg://u@db/clearance"),
])
def test_relative_sqlite_paths_are_in_the_home(tmp_path: Path, url: str, resolved: str) -> None:
    settings = load_settings(tmp_path, database_url=url)
    assert settings.resolved_database_url() == resolved.format(home=tmp_path)


def test_relative_home_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(Path("h"))
    assert settings.home == tmp_path / "h"
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path}/h/clearance.db"


@pytest.mark.parametrize(("argument", "env", "expected"), [
    ("/srv/a", "/srv/env", "/srv/a"),
    (Path("/srv/b"), None, "/srv/b"),
    (None, "/srv/env", "/srv/env"),
    ("", "/srv/env", "/srv/env"),
    (None, None, "{cwd}/.clearance"),
    ("rel", None, "{cwd}/rel"),
])
def test_resolve_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argument: str | Path | None,
                      env: str | None, expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    if env is not None:
        monkeypatch.setenv("CLEARANCE_HOME", env)
    assert resolve_home(argument) == Path(expected.format(cwd=tmp_path))


FILE_ERRORS = [
    ('[gateway]\nport = "x"\n', "gateway.port: Input should be a valid integer"),
    ("[gateway]\nport = 70000\n", "gateway.port: Input should be less than or equal to 65535"),
    ('[gateway]\nprot = 1\n', "gateway.prot: unknown key (known here: host, port, trusted_proxies, geoip_database, "
                              "clearance_url, max_body_bytes, refresh_seconds, upstream_timeout_seconds)"),
    ("bogus = 1\n", "bogus: unknown key"),
    ('[gateway]\ntrusted_proxies = ["10.0.0.0/8", "10.0.0.1/8"]\n',
     "gateway.trusted_proxies[2]: 10.0.0.1/8 has host bits set"),
    ('[gateway]\ntrusted_proxies = ["nonsense"]\n', "gateway.trusted_proxies[1]: 'nonsense' does not appear"),
    ("gateway = 5\n", "gateway: Input should be a valid dictionary"),
    ('home_country = "XX"\n', 'home_country: unknown ISO 3166-1 country "XX"'),
    ('database_url = "mysql://u:secret@h/db"\n', 'database_url: a "mysql" URL; use sqlite:///FILE or postgresql'),
    ('database_url = "clearance.db"\n', "database_url: not a URL"),
    ('[[upstreams]]\nname = "u"\n', "upstreams[1].kind: Field required"),
    ('[[upstreams]]\nname = "u"\nkind = "grok"\n',
     "upstreams[1].kind: Input should be 'openai', 'anthropic' or 'demo'"),
    ('[[upstreams]]\nname = "u"\nkind = "openai"\n', 'upstreams[1].base_url: an upstream of kind "openai" needs'),
    ('[[upstreams]]\nname = "u"\nkind = "demo"\napi_key = "sk-x"\n', "upstreams[1].api_key: unknown key"),
    ('[[upstreams]]\nname = "u"\nkind = "demo"\n[[upstreams]]\nname = "u"\nkind = "demo"\n',
     'upstreams[2].name: a second upstream named "u"'),
    ('[[models]]\nid = "m"\nupstream = "nope"\n', 'models[1].upstream: no [[upstreams]] named "nope" (known: none'),
    ('[[upstreams]]\nname = "u"\nkind = "demo"\n[[models]]\nid = "m"\nupstream = "u"\n'
     '[[models]]\nid = "m"\nupstream = "u"\n', 'models[2].id: a second model with id "m"'),
    ('[[upstreams]]\nname = "u"\nkind = "demo"\n[[models]]\nid = "family:x"\nupstream = "u"\n',
     'models[1].id: "family:x" cannot be a model id'),
    ('[[models]]\nupstream = "u"\n', "models[1].id: Field required"),
]


@pytest.mark.parametrize(("text", "message"), FILE_ERRORS)
def test_bad_file_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert f"{path}: {message}" in str(caught.value)
    assert caught.value.exit_code == 78
    assert "secret" not in str(caught.value)  # a URL's password is never echoed


@pytest.mark.parametrize(("text", "message"), [
    ("a = \n", ":1: not valid TOML: Invalid value (at line 1, column 5)"),
    ('home_country = "US"\n[gateway\nport = 1\n', ":2: not valid TOML"),
    ('home_country = "US"\nhome_country = "GB"\n', ":2: not valid TOML"),
    ('home = "/elsewhere"\n', ": home: set by --home or CLEARANCE_HOME"),
])
def test_unreadable_file_gives_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value).startswith(f"{path}{message}")


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "clearance.toml").write_bytes(b'home_country = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_settings(tmp_path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, 'home_country = "XX"\n[gateway]\nport = "x"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value).splitlines() == [
        "2 problems in the settings:",
        f'  {path}: home_country: unknown ISO 3166-1 country "XX"',
        f"  {path}: gateway.port: Input should be a valid integer, unable to parse string as an integer",
    ]


@pytest.mark.parametrize(("env", "message"), [
    ({"CLEARANCE_GATEWAY__PORT": "abc"}, "CLEARANCE_GATEWAY__PORT: gateway.port: Input should be a valid integer"),
    ({"CLEARANCE_GATEWAY__BOGUS": "1"}, "CLEARANCE_GATEWAY__BOGUS: gateway.bogus: unknown key"),
    ({"CLEARANCE_HOME_COUNTRY": "ZZ"}, 'CLEARANCE_HOME_COUNTRY: home_country: unknown ISO 3166-1 country "ZZ"'),
    ({"CLEARANCE_GATEWAY__TRUSTED_PROXIES": "10.0.0.0/8"}, "CLEARANCE_GATEWAY__TRUSTED_PROXIES: not valid JSON"),
    ({"CLEARANCE_UPSTREAMS": "demo"}, "CLEARANCE_UPSTREAMS: not valid JSON"),
    ({"CLEARANCE_MODELS": '[{"id": "m", "upstream": "x"}]'}, 'CLEARANCE_MODELS: models[1].upstream: no [[upstreams]]'),
])
def test_bad_environment_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            env: dict[str, str], message: str) -> None:
    write(tmp_path, "[gateway]\nport = 1\n")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value).startswith(message)


def test_bad_database_argument_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^--database: database_url: a \"mysql\" URL"):
        load_settings(tmp_path, database_url="mysql://h/db")


@pytest.mark.parametrize("country", ["US", "gb", "DE"])
def test_default_toml_loads_as_the_demo(tmp_path: Path, country: str) -> None:
    text = default_toml(country)
    assert text.count("#") > 10  # commented for the person editing it
    write(tmp_path, text)
    settings = load_settings(tmp_path)
    assert settings.home_country == country.upper()
    assert settings.catalog() == DEMO_CATALOG
    assert [(m.id, m.upstream, m.upstream_model) for m in settings.models] == [
        ("fable-5", "demo", "fable-5"), ("mythos-5", "demo", "mythos-5"), ("fable-4", "demo", "fable-4")]
    assert [(u.name, u.kind) for u in settings.upstreams] == [("demo", "demo")]
    assert settings.gateway == GatewaySettings()
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path}/clearance.db"


def test_default_toml_refuses_an_unknown_country() -> None:
    with pytest.raises(ConfigError, match='home_country: unknown ISO 3166-1 country "XX"'):
        default_toml("XX")


def test_catalog_from_models(tmp_path: Path) -> None:
    write(tmp_path, '[[upstreams]]\nname = "local"\nkind = "openai"\nbase_url = "http://127.0.0.1:9001/v1"\n'
                    'api_key_env = "LOCAL_KEY"\n'
                    '[[models]]\nid = "fable-5"\nupstream = "local"\nupstream_model = "mock"\nfamily = "fable"\n'
                    'tier = "frontier"\n')
    settings = load_settings(tmp_path)
    assert settings.catalog().select(["family:fable"]) == {"fable-5"}
    assert settings.models[0].upstream_model == "mock"
    upstream = settings.upstreams[0]
    assert upstream.api_key({}) is None
    assert upstream.api_key({"LOCAL_KEY": "sk-1"}) == "sk-1"


@pytest.mark.parametrize(("configured", "expected"), [
    ("geo/City.mmdb", "{home}/geo/City.mmdb"),
    ("/var/lib/GeoIP/City.mmdb", "/var/lib/GeoIP/City.mmdb"),
])
def test_geoip_path_is_relative_to_home(tmp_path: Path, configured: str, expected: str) -> None:
    write(tmp_path, f'[gateway]\ngeoip_database = "{configured}"\n')
    assert load_settings(tmp_path).geoip_path() == Path(expected.format(home=tmp_path))


GROUPS_CSV = "group,iso2,country_name,source_note\nD:5,CN,China,test\nD:5,KP,North Korea,test\nA:5,GB,UK,test\n"


def test_groups_from_a_user_table(tmp_path: Path) -> None:
    (tmp_path / "groups.csv").write_text(GROUPS_CSV, "utf-8")
    write(tmp_path, 'country_groups = "groups.csv"\n')
    groups = load_settings(tmp_path).groups()
    assert groups.countries("D:5") == {"CN", "KP"}
    assert groups.groups_of("GB") == {"A:5"}
    assert groups.source == str(tmp_path / "groups.csv")
    assert groups.version.startswith("sha256:") and len(groups.version) == len("sha256:") + 12
    # The version follows the content, so replicas agree and an edit is a new version.
    assert load_settings(tmp_path).groups().version == groups.version
    (tmp_path / "groups.csv").write_text(GROUPS_CSV + "A:5,FR,France,test\n", "utf-8")
    assert load_settings(tmp_path).groups().version != groups.version


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot be read"),
    (b"\xff\xfe\x00bad", "not UTF-8 text"),
    (b"group,country\nD:5,CN\n", "missing column(s) iso2"),
    (b"group,iso2\nD:5,CN\nZ:9,XX\n", ':3: group: not an EAR country group name "Z:9"'),
    (b"group,iso2\n", "no rows"),
])
def test_bad_user_table_is_a_config_error(tmp_path: Path, content: bytes | None, message: str) -> None:
    if content is not None:
        (tmp_path / "groups.csv").write_bytes(content)
    write(tmp_path, 'country_groups = "groups.csv"\n')
    settings = load_settings(tmp_path)
    with pytest.raises(ConfigError) as caught:
        settings.groups()
    assert str(caught.value).startswith("country_groups: ")
    assert message in str(caught.value)
    assert str(tmp_path / "groups.csv") in str(caught.value)


def test_settings_are_immutable(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    with pytest.raises(ValueError, match="frozen"):
        settings.home_country = "GB"
    assert isinstance(settings, Settings)
