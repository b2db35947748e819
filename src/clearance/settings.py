"""A deployment's settings: ``<home>/clearance.toml``, overridden by ``CLEARANCE_…`` variables.

Precedence, strongest first: an explicit argument (the CLI's ``--database``), the environment
(``CLEARANCE_DATABASE_URL``, ``CLEARANCE_GATEWAY__PORT``: nested keys joined by ``__``, lists as
JSON), the file, the defaults.  Containers are configured through the environment and a home is
configured through its file; both must be able to change any key.

Every mistake becomes one ConfigError naming where the bad value came from (the file, the variable
or ``--database``) and its key, e.g. ``…/clearance.toml: gateway.port: Input should be a valid
integer``, because a gateway that half-starts on a misread setting is worse than one that refuses.
Entries of ``[[upstreams]]`` and ``[[models]]`` are numbered from 1 in the order they appear.
Unknown keys are errors: a misspelt ``trusted_proxies`` must not silently trust nobody, or everybody.

Relative paths (the SQLite file, ``country_groups``, ``gateway.geoip_database``) are relative to the
home, so a home can be moved or mounted elsewhere whole.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from clearance.domain.catalog import DEMO_CATALOG, FAMILY, TIER, Catalog, ModelSpec
from clearance.domain.countries import parse_country
from clearance.domain.groups import CountryGroups, bundled_groups
from clearance.errors import ConfigError, DataError

__all__ = [
    "GatewaySettings", "ModelSettings", "SafeguardSettings", "Settings", "UpstreamSettings",
    "default_toml", "load_settings", "resolve_home",
]

SETTINGS_FILE = "clearance.toml"
ENV_PREFIX = "CLEARANCE_"
ENV_DELIMITER = "__"
DEFAULT_HOME = ".clearance"
_DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg")
_MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")


class _Keyed(ValueError):
    """A cross-field problem that knows which key it belongs to, for the error message."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UpstreamSettings(_Section):
    """Where requests go.  The key is named, never written down: the file may be in git."""

    name: str = Field(min_length=1)
    kind: Literal["openai", "anthropic", "demo"]
    base_url: str = ""
    api_key_env: str = ""
    # PEM file of the certificate authorities an https upstream's certificate is checked against
    # (a private CA); empty: the system's.  Relative to the home directory.
    ca_file: str = ""

    @model_validator(mode="after")
    def _needs_url(self) -> UpstreamSettings:
        if self.kind != "demo" and not self.base_url:
            raise _Keyed(("base_url",), f'an upstream of kind "{self.kind}" needs a base_url')
        return self

    def api_key(self, environ: Mapping[str, str] = os.environ) -> str | None:
        """The key, read from the named variable when it is needed (None: none configured or set)."""
        if not self.api_key_env:
            return None
        return environ.get(self.api_key_env) or None


class ModelSettings(_Section):
    """A model callers may name, and the upstream model that serves it."""

    id: str
    upstream: str
    upstream_model: str = ""
    family: str = ""
    tier: str = ""

    @model_validator(mode="before")
    @classmethod
    def _served_as_itself_by_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("upstream_model") and isinstance(data.get("id"), str):
            return {**data, "upstream_model": data["id"]}
        return data

    @field_validator("id")
    @classmethod
    def _selectable_id(cls, value: str) -> str:
        # Directives name models by id, "family:NAME" or "tier:NAME": an id must not read as one of those.
        if not _MODEL_ID.match(value) or value.startswith((FAMILY, TIER)):
            raise ValueError(f'"{value}" cannot be a model id (letters, digits and . _ - / : @ +; '
                             f'not starting with "{FAMILY}" or "{TIER}")')
        return value


def _network(value: str) -> str:
    # Strict: "10.0.0.1/8" is more likely a mistake than a way of writing 10.0.0.0/8.
    return str(ipaddress.ip_network(value.strip()))


class GatewaySettings(_Section):
    """The proxy's socket, whom it believes about a caller's address, and how it locates callers."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port, as tests want
    trusted_proxies: list[Annotated[str, AfterValidator(_network)]] = Field(
        default_factory=lambda: ["127.0.0.1/32"])
    geoip_database: str = ""
    # Where a refused caller is sent to ask for clearance; named in every 451 refusal.
    clearance_url: str = "/console/requests/new"
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)  # larger bodies: 413, never forwarded
    # How often the gateway asks the store whether anything changed (directives, licenses, subjects,
    # keys); a change is in force on every worker within this many seconds.
    refresh_seconds: float = Field(default=1.0, gt=0, le=300)
    upstream_timeout_seconds: float = Field(default=300.0, gt=0)

    def trusted_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(entry) for entry in self.trusted_proxies)


class SafeguardSettings(_Section):
    """The prompt screening the safeguard action calls for, and its defaults."""

    # Used when a directive's safeguards block capabilities but set no jailbreak_threshold of their
    # own, and for every request with screen_all; empty: the shipped model's calibrated threshold.
    jailbreak_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    screen_all: bool = False  # screen every prompt, not only those a directive asks for
    # A capability category counts as present in a request at this score or above.
    capability_threshold: float = Field(default=0.5, ge=0.0, le=1.0)


class AuditSettings(_Section):
    """The audit trail: who signs its checkpoints, how often, how long records are kept."""

    signing_key: str = "audit_signing_key.pem"  # Ed25519 private key (PKCS#8 PEM), made by `clearance init`
    checkpoint_every: int = Field(default=1000, ge=1)  # records between signed checkpoints
    retention_days: int = Field(default=0, ge=0)  # 0: keep every record
    keep_prompts: Literal["none", "hash", "text"] = "none"  # for safeguard hits only, when not "none"
    # The gateway's spool (audit/spool.py) survives a killed process as it is; with fsync, a power loss too.
    fsync: bool = False

    def signing_key_path(self, home: Path) -> Path:
        return home / self.signing_key


# Public-key signatures only: "none" is no signature at all, and HS* would make the issuer's public
# key (which anyone can fetch) the shared secret that signs tokens: the classic algorithm confusion.
OIDC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
OIDC_CLAIM_ATTRIBUTES = ("name", "organization", "citizenships", "permanent_residence", "us_person", "email")
_LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


class OidcSettings(_Section):
    """An identity provider whose JWTs callers may present instead of an API key.

    `claims` maps subject attributes (as in the subjects CSV) to the claim names that carry them;
    without it a token names only the subject id (`subject_claim`) and the subject comes from the store.
    """

    issuer: str = Field(min_length=1)  # compared with the token's `iss` exactly
    audience: str | list[str]  # the token's `aud` must name (one of) these
    jwks_file: str = ""  # the issuer's public keys (JWKS JSON), relative to the home
    jwks_url: str = ""  # or fetched from here (https, or http on loopback)
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])
    subject_claim: str = Field(default="sub", min_length=1)
    leeway_seconds: float = Field(default=0.0, ge=0, le=300)  # clock skew allowed on exp, nbf, iat
    jwks_cache_seconds: float = Field(default=600.0, gt=0)  # a fetched JWKS is refetched after this long
    jwks_refetch_seconds: float = Field(default=30.0, ge=0)  # at most one refetch per this for an unknown kid
    claims: dict[str, str] = Field(default_factory=dict)

    @field_validator("audience")
    @classmethod
    def _some_audience(cls, value: str | list[str]) -> str | list[str]:
        values = [value] if isinstance(value, str) else value
        if not values or any(not v.strip() for v in values):
            raise ValueError("name the audience this gateway's tokens are issued for (a token for another "
                             "service must not open this one)")
        return value

    @field_validator("algorithms")
    @classmethod
    def _public_key_algorithms(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("empty: no token could be verified (leave the key out for RS256 and ES256)")
        for name in value:
            if name.lower() == "none":
                raise ValueError(f'"{name}" accepts unsigned tokens that anyone can write; remove it')
            if name.upper().startswith("HS"):
                raise ValueError(f'"{name}" is a shared-secret algorithm: verified with an issuer\'s public key '
                                 "it would let anyone holding that public key sign tokens; use "
                                 "RS*, PS*, ES* or EdDSA")
            if name not in OIDC_ALGORITHMS:
                raise ValueError(f'unknown algorithm "{name}" (use {", ".join(OIDC_ALGORITHMS)})')
        return value

    @field_validator("jwks_url")
    @classmethod
    def _fetchable(cls, value: str) -> str:
        if not value:
            return value
        try:
            parts = urlsplit(value)
            host = parts.hostname or ""
        except ValueError:
            raise ValueError(f'"{value}" is not an http(s) URL') from None
        if parts.scheme not in {"https", "http"} or not host:
            raise ValueError(f'"{value}" is not an http(s) URL')
        if parts.scheme == "http" and host not in _LOOPBACK_HOSTS:
            raise ValueError("keys that decide who may call must come over https (plain http only on loopback)")
        return value

    @field_validator("claims")
    @classmethod
    def _known_attributes(cls, value: dict[str, str]) -> dict[str, str]:
        for attribute, claim in value.items():
            if attribute == "id":
                raise ValueError("the subject id comes from subject_claim, not from claims")
            if attribute not in OIDC_CLAIM_ATTRIBUTES:
                raise ValueError(f'unknown subject attribute "{attribute}" (known: {", ".join(OIDC_CLAIM_ATTRIBUTES)})')
            if not claim.strip():
                raise ValueError(f"{attribute}: empty claim name")
        return value

    @model_validator(mode="after")
    def _one_key_source(self) -> OidcSettings:
        if bool(self.jwks_file) == bool(self.jwks_url):
            raise _Keyed(("jwks_file",), "give exactly one of jwks_file (a JWKS file) or jwks_url (where to fetch "
                                         "it)" + ("; both are set" if self.jwks_file else ""))
        return self

    @property
    def audiences(self) -> list[str]:
        return [self.audience] if isinstance(self.audience, str) else list(self.audience)


class ScreeningSettings(_Section):
    """Restricted-party screening: how close a name must be to count, and what a match awaiting review gets."""

    # The matcher's measured default (screening/matcher.py); a change applies at the next screening
    # (`clearance lists rescreen` screens everyone again at once).
    threshold: float = Field(default=0.84, ge=0.0, le=1.0)
    # A potential match awaiting review: "deny" (reason PENDING_REVIEW) or "allow" while it waits.
    pending: Literal["deny", "allow"] = "deny"


class Settings(BaseSettings):
    """One deployment's settings; immutable, so every component sees the same ones."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter=ENV_DELIMITER, extra="forbid", frozen=True)

    home: Path
    database_url: str = "sqlite:///clearance.db"
    home_country: str = "US"
    country_groups: str = ""
    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    screening: ScreeningSettings = Field(default_factory=ScreeningSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    safeguards: SafeguardSettings = Field(default_factory=SafeguardSettings)
    upstreams: list[UpstreamSettings] = Field(default_factory=list)
    models: list[ModelSettings] = Field(default_factory=list)
    oidc: list[OidcSettings] = Field(default_factory=list)

    @field_validator("home_country")
    @classmethod
    def _country(cls, value: str) -> str:
        return parse_country(value)

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        # Name only the scheme: the URL may carry a password.
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in _DATABASE_SCHEMES:
            what = f'a "{scheme}" URL' if scheme else "not a URL"
            raise ValueError(f"{what}; use sqlite:///FILE or postgresql://USER@HOST/DATABASE")
        return value

    @model_validator(mode="after")
    def _references(self) -> Settings:
        upstreams: set[str] = set()
        for number, upstream in enumerate(self.upstreams):
            if upstream.name in upstreams:
                raise _Keyed(("upstreams", number, "name"), f'a second upstream named "{upstream.name}"')
            upstreams.add(upstream.name)
        ids: set[str] = set()
        for number, model in enumerate(self.models):
            if model.id in ids:
                raise _Keyed(("models", number, "id"), f'a second model with id "{model.id}"')
            ids.add(model.id)
            if model.upstream not in upstreams:
                known = ", ".join(sorted(upstreams)) or "none configured"
                raise _Keyed(("models", number, "upstream"),
                             f'no [[upstreams]] named "{model.upstream}" (known: {known})')
        return self

    @model_validator(mode="after")
    def _one_entry_per_issuer(self) -> Settings:
        # Tokens are routed to an entry by their `iss`: two entries for one issuer would be ambiguous.
        seen: set[str] = set()
        for number, entry in enumerate(self.oidc):
            if entry.issuer in seen:
                raise _Keyed(("oidc", number, "issuer"), f'a second [[oidc]] entry for issuer "{entry.issuer}"')
            seen.add(entry.issuer)
        return self

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then ``<home>/clearance.toml``; no .env or secrets dir."""
        home = init_settings.init_kwargs.get("home") if isinstance(init_settings, InitSettingsSource) else None
        if home is None:
            return init_settings, env_settings
        return init_settings, env_settings, InitSettingsSource(settings_cls, read_settings_file(Path(home)))

    def resolved_database_url(self) -> str:
        """The URL to connect to: a relative SQLite path made absolute against the home."""
        scheme, rest = self.database_url.split("://", 1)
        if not scheme.startswith("sqlite") or not rest.startswith("/"):
            return self.database_url
        path, sep, query = rest[1:].partition("?")
        if not path or path == ":memory:" or path.startswith(("/", "file:")):
            return self.database_url
        return f"{scheme}:///{self.home / path}{sep}{query}"

    def geoip_path(self) -> Path | None:
        """The configured GeoIP database, or None for the bundled GeoLite2 build."""
        return self.home / self.gateway.geoip_database if self.gateway.geoip_database else None

    def catalog(self) -> Catalog:
        """The models callers may name; the demo catalog when none are configured."""
        if not self.models:
            return DEMO_CATALOG
        return Catalog.of(ModelSpec(m.id, family=m.family, tier=m.tier) for m in self.models)

    def groups(self) -> CountryGroups:
        """The bundled EAR country groups, or the user's table named by ``country_groups``.

        A user's table is versioned by its content ("sha256:" and 12 hex digits), not its mtime:
        every replica reading the same table must agree on the version decisions record.
        """
        if not self.country_groups:
            return bundled_groups()
        path = self.home / self.country_groups
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except OSError as exc:
            raise ConfigError(f"country_groups: {path}: cannot be read ({exc.strerror})") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"country_groups: {path}: not UTF-8 text") from exc
        version = "sha256:" + hashlib.sha256(raw).hexdigest()[:12]
        try:
            return CountryGroups.from_csv(text, source=str(path), version=version)
        except DataError as exc:
            raise ConfigError(f"country_groups: {exc.message}") from exc


def read_settings_file(home: Path) -> dict[str, Any]:
    """The settings in ``home/clearance.toml``; empty when there is no such file."""
    path = home / SETTINGS_FILE
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    if "home" in data:
        raise ConfigError(f"{path}: home: set by --home or CLEARANCE_HOME, not in the file it names")
    return data


def resolve_home(home: str | Path | None) -> Path:
    """``--home``, else ``$CLEARANCE_HOME``, else ``./.clearance``; made absolute."""
    chosen = home if home is not None and str(home) != "" else os.environ.get("CLEARANCE_HOME") or DEFAULT_HOME
    return Path(chosen).expanduser().absolute()


def load_settings(home: Path, *, database_url: str | None = None) -> Settings:
    """The settings of `home`: file, then environment, then an explicit `database_url` on top."""
    home = Path(home).expanduser().absolute()
    values: dict[str, Any] = {"home": home}
    if database_url is not None:
        values["database_url"] = database_url
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise _config_error(exc, home / SETTINGS_FILE, explicit=database_url is not None) from None
    except SettingsError as exc:  # a variable that should hold JSON does not
        field = re.search(r'field "(\w+)"', str(exc))
        names = _variables_for(field.group(1).upper()) if field else []
        raise ConfigError(f"{', '.join(names) or 'environment'}: not valid JSON (lists and tables are "
                          """given in the environment as JSON, e.g. '["10.0.0.0/8"]')""") from None


def _config_error(exc: ValidationError, file: Path, *, explicit: bool) -> ConfigError:
    lines = []
    for error in exc.errors():
        loc: tuple[str | int, ...] = tuple(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, _Keyed):
            loc = loc + cause.loc
        if error["type"] == "extra_forbidden":
            known = _known_keys(loc[:-1])
            message = f"unknown key (known here: {', '.join(known)})" if known else "unknown key"
        lines.append(f"{_origin(loc, file, explicit=explicit)}: {_key(loc)}: {message}")
    if len(lines) == 1:
        return ConfigError(lines[0])
    return ConfigError("\n  ".join([f"{len(lines)} problems in the settings:", *lines]))


def _origin(loc: Sequence[str | int], file: Path, *, explicit: bool) -> str:
    """Where the offending value came from: the most specific variable set for it, else the file."""
    if explicit and tuple(loc[:1]) == ("database_url",):
        return "--database"
    environ = {name.upper() for name in os.environ}
    keys = [str(part).upper() for part in loc if isinstance(part, str)]
    for end in range(len(keys), 0, -1):
        name = ENV_PREFIX + ENV_DELIMITER.join(keys[:end])
        if name in environ:
            return name
    return ", ".join(_variables_for(keys[0])) if keys and _variables_for(keys[0]) else str(file)


def _variables_for(field: str) -> list[str]:
    """The variables that set any part of a top-level setting."""
    name = ENV_PREFIX + field
    return sorted(v for v in os.environ if v.upper() == name or v.upper().startswith(name + ENV_DELIMITER))


def _key(loc: Sequence[str | int]) -> str:
    """("models", 1, "upstream") → "models[2].upstream": entries counted from 1, as a reader would."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(settings)"


def _known_keys(loc: Sequence[str | int]) -> list[str]:
    model: Any = Settings
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        model = get_args(annotation)[0] if get_origin(annotation) is list else annotation
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return [name for name in model.model_fields if name != "home"]


_DEFAULT_TOML = '''\
# Clearance settings.  Every key can also be set in the environment as CLEARANCE_<KEY>
# (nested keys joined by "__", e.g. CLEARANCE_GATEWAY__PORT=9000); the environment wins.

# Where decisions, subjects, licenses and the audit log are kept: a SQLite file (relative paths
# are relative to this directory) or postgresql://user@host/db for several gateway replicas.
database_url = "sqlite:///clearance.db"

# The exporting country (ISO 3166-1): access from here is never an export.
home_country = "{home_country}"

# EAR country groups: empty for the table bundled with Clearance, or a CSV in the same layout
# (group,iso2,country_name,source_note) when a Federal Register notice changes them.
country_groups = ""

[screening]
# Names scoring at least this against a restricted-party list entry are potential matches.
threshold = 0.84
# While a potential match awaits review: "deny" (reason PENDING_REVIEW) or "allow".
pending = "deny"

[gateway]
host = "127.0.0.1"
port = 8080
# Only these networks may say where a caller is with X-Forwarded-For / Forwarded.
trusted_proxies = ["127.0.0.1/32"]
# A MaxMind GeoIP2/GeoLite2 City or Country database; empty for the bundled GeoLite2 build
# (dated 2018: point this to a current one in production).
geoip_database = ""

[audit]
# The Ed25519 key that signs audit checkpoints (made by `clearance init`; keep it secret, mode 0600).
# `clearance audit public-key` prints the public half for whoever verifies the trail.
signing_key = "audit_signing_key.pem"
# A signed checkpoint every this many records (and when a gateway stops).
checkpoint_every = 1000
# Days of audit records kept; 0 keeps them all.  `clearance audit prune` removes older ones.
retention_days = 0
# Prompts are not recorded.  For safeguard hits only: "hash" keeps their SHA-256, "text" the prompt.
keep_prompts = "none"

# Where requests are sent.  kind: openai | anthropic | demo (a built-in local model).
# Keys are never written here: api_key_env names the variable that holds one.
[[upstreams]]
name = "demo"
kind = "demo"
# base_url = "http://127.0.0.1:9001/v1"
# api_key_env = "UPSTREAM_API_KEY"
# ca_file = "upstream-ca.pem"   # an https upstream signed by a private CA (default: the system's CAs)

# The models callers may name (id), the upstream that serves each and its name there
# (upstream_model, default: the id).  Directives select models by id, family or tier.
[[models]]
id = "fable-5"
upstream = "demo"
family = "fable"
tier = "frontier"

[[models]]
id = "mythos-5"
upstream = "demo"
family = "mythos"
tier = "frontier"

[[models]]
id = "fable-4"
upstream = "demo"
family = "fable"
tier = "standard"

# Callers may present a JWT from your identity provider instead of an API key: one [[oidc]] entry
# per issuer, its public keys from jwks_url (https) or a jwks_file in this directory.  Only
# public-key algorithms are accepted.  [oidc.claims] maps subject attributes to the claims that
# carry them, read like the subjects CSV (citizenships as "IN@2001-05-01;CA" or a list).
# [[oidc]]
# issuer = "https://login.example.com/"
# audience = "clearance"
# jwks_url = "https://login.example.com/.well-known/jwks.json"
# algorithms = ["RS256", "ES256"]
# subject_claim = "sub"
# leeway_seconds = 0
# [oidc.claims]
# citizenships = "citizenships"
# us_person = "us_person"
'''


def default_toml(home_country: str = "US") -> str:
    """The commented ``clearance.toml`` that ``clearance init`` writes: the demo, ready to edit."""
    try:
        country = parse_country(home_country)
    except ValueError as exc:
        raise ConfigError(f"home_country: {exc}") from None
    return _DEFAULT_TOML.format(home_country=country)

