"""Reading a MaxMind DB (GeoIP2/GeoLite2 City or Country layout) into a `Place`.

Measured with the bundled GeoLite2 City build: the C extension behind ``MODE_AUTO`` (memory-mapped)
answers in 5 to 9 µs, while ``MODE_MEMORY`` selects the pure-Python reader at 60 to 100 µs, so the
mapped C reader is used.  Parsing the address (needed to refuse private ranges and to unwrap
IPv6 transition addresses) adds 2 to 4 µs.  Callers come back from the same few addresses, so a small
per-instance LRU cache brings a repeat lookup to well under 1 µs; it never goes stale because a
`Geolocator` reads one immutable database file for its whole life.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import maxminddb

from clearance.domain.countries import Place, is_country, is_region
from clearance.errors import ClearanceError, ConfigError

_BUNDLED_PACKAGE = "_maxminddb_geolite2"
_BUNDLED_FILE = "GeoLite2-City.mmdb"
# Layouts whose records carry `country.iso_code` and `subdivisions`; anything else (an ASN or
# anonymous-IP database, say) would locate nobody, which is better refused when the gateway starts.
_LOCATING_TYPES = ("city", "country", "enterprise")
DEFAULT_CACHE_SIZE = 4096

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def bundled_database() -> Path:
    """The GeoLite2 City file shipped by the PyPI package ``maxminddb-geolite2``.

    Found inside the installed package rather than through its module-level reader, which is
    global state we do not want to share or have closed under us.
    """
    try:
        root = resources.files(_BUNDLED_PACKAGE)
    except ModuleNotFoundError as exc:
        raise ConfigError(
            "the bundled GeoLite2 database is not installed (package maxminddb-geolite2); "
            "install it or set gateway.geoip_database to a .mmdb file") from exc
    return Path(str(root.joinpath(_BUNDLED_FILE)))


class Geolocator:
    """Locates IP addresses with one open MaxMind database; safe to share between threads."""

    def __init__(self, reader: Any, path: Path, *, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self._reader = reader
        self.path = path
        metadata = reader.metadata()
        self.database_type: str = metadata.database_type
        self.built: dt.date = dt.datetime.fromtimestamp(metadata.build_epoch, dt.UTC).date()
        self._ipv6 = metadata.ip_version == 6
        self._locate: Callable[[str], Place | None] = (
            functools.lru_cache(maxsize=cache_size)(self._lookup) if cache_size else self._lookup)

    @classmethod
    def open(cls, path: str | Path | None = None, *, cache_size: int = DEFAULT_CACHE_SIZE) -> Geolocator:
        """Open `path`, or the bundled GeoLite2 City build when `path` is None or empty.

        Every way the file can be unusable becomes a ConfigError naming it, because the gateway
        must not start with a location source that would silently locate nobody.
        """
        file = bundled_database() if path is None or str(path) == "" else Path(path)
        if not file.is_file():
            raise ConfigError(f"GeoIP database {file}: no such file")
        try:
            reader = maxminddb.open_database(str(file), maxminddb.MODE_AUTO)
        except maxminddb.InvalidDatabaseError as exc:
            raise ConfigError(f"GeoIP database {file}: not a valid MaxMind DB file") from exc
        except OSError as exc:
            raise ConfigError(f"GeoIP database {file}: cannot be read ({exc.strerror})") from exc
        database_type = str(reader.metadata().database_type)
        if not any(kind in database_type.lower() for kind in _LOCATING_TYPES):
            reader.close()
            raise ConfigError(
                f"GeoIP database {file}: a {database_type} database does not locate countries; "
                "use a GeoIP2/GeoLite2 City or Country database")
        return cls(reader, file, cache_size=cache_size)

    @property
    def version(self) -> str:
        """Which data located a request, for the evidence: e.g. "GeoLite2-City 2018-07-03"."""
        return f"{self.database_type} {self.built.isoformat()}"

    def locate(self, ip: str) -> Place | None:
        """The place `ip` is in, or None when it cannot be told (not public, or not in the database).

        Raises ValueError for text that is not an IPv4 or IPv6 address.
        """
        return self._locate(ip)

    def close(self) -> None:
        self._locate = _closed
        self._reader.close()

    def __enter__(self) -> Geolocator:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _lookup(self, ip: str) -> Place | None:
        address = _located_address(_parse(ip))
        if address is None or (address.version == 6 and not self._ipv6):
            return None  # an IPv4-only database cannot place an IPv6 caller
        record = self._reader.get(address)
        return _place(record) if record else None


def _parse(ip: str) -> IPAddress:
    try:
        return ipaddress.ip_address(ip.strip())
    except ValueError:
        raise ValueError(f'"{ip}" is not an IPv4 or IPv6 address') from None


def _located_address(address: IPAddress) -> IPAddress | None:
    """The public address that says where the caller is, or None if there is none.

    A dual-stack socket reports IPv4 callers as ``::ffff:a.b.c.d``, and 6to4 and Teredo addresses
    embed the caller's public IPv4 address; the database would place a Teredo address at its relay
    server, so the embedded client address is used instead.  Private, loopback, link-local,
    shared (CGNAT), reserved, multicast and documentation ranges say nothing about where anyone is.
    """
    if isinstance(address, ipaddress.IPv6Address):
        teredo = address.teredo
        inner = address.ipv4_mapped or address.sixtofour or (teredo[1] if teredo else None)
        if inner is not None:
            address = inner
    if not address.is_global or address.is_multicast:
        return None
    return address


def _place(record: Mapping[str, Any]) -> Place | None:
    """The located country (not the registrant's) and, where ISO 3166-2 knows it, the region.

    Databases age: a subdivision code ISO has since replaced (the 2018 build's "PL-MZ") is dropped
    rather than guessed, leaving the country, which every rule naming the country still reaches.
    """
    country = (record.get("country") or {}).get("iso_code")
    if not isinstance(country, str) or not is_country(country):
        return None
    subdivisions = record.get("subdivisions") or ()
    if subdivisions:
        region = f"{country}-{subdivisions[0].get('iso_code', '')}"
        if is_region(region):
            return Place(country, region)
    return Place(country)


def _closed(ip: str) -> Place | None:
    raise ClearanceError("the GeoIP database was used after it was closed")
