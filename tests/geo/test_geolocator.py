"""IP geolocation against the bundled GeoLite2 City build (2018-07-03).

The fixtures were found by querying that build; a newer database may place them differently,
which is why a deployment's own database is configured and these pin only the bundled one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from clearance.domain.countries import Place
from clearance.errors import ClearanceError, ConfigError
from clearance.geo import Geolocator, bundled_database


@pytest.fixture(scope="module")
def geo() -> Iterator[Geolocator]:
    with Geolocator.open() as locator:
        yield locator


@pytest.mark.parametrize(("ip", "expected"), [
    # Crimea and Sevastopol: the rule-naming regions directives care about.
    ("31.135.96.1", Place("UA", "UA-43")),
    ("91.205.216.1", Place("UA", "UA-43")),  # registered to RU, located in UA: the located country wins
    ("5.149.208.1", Place("UA", "UA-40")),
    ("2001:470:70::1", Place("UA", "UA-51")),  # registered to US, located in Odesa
    ("4.16.48.1", Place("CA", "CA-ON")),  # registered to US, located in Ontario
    ("2.16.37.1", Place("GB", "GB-ENG")),  # registered to IL, located in London
    ("24.0.0.1", Place("US", "US-NJ")),
    ("68.0.0.1", Place("US", "US-VA")),
    ("1.0.1.1", Place("CN", "CN-FJ")),
    ("1.6.0.1", Place("IN", "IN-KA")),
    ("81.2.69.142", Place("GB", "GB-ENG")),  # two subdivisions: the first (largest) one is the region
    ("5.62.56.161", Place("KP", "KP-04")),
    # Country only: the database has no subdivision for these.
    ("8.8.8.8", Place("US")),
    ("12.0.0.1", Place("US")),
    ("175.45.176.1", Place("KP")),
    # Country only: the 2018 subdivision code is no longer in ISO 3166-2, so no region is guessed.
    ("5.8.47.1", Place("PL")),  # PL-MZ, now PL-14
    ("1.22.116.1", Place("IN")),  # IN-TG, now IN-TS
    ("2.179.0.1", Place("IR")),  # IR-32
    # IPv6.
    ("2001:4860:4860::8888", Place("US", "US-CA")),
    ("2001:250:200::1", Place("CN", "CN-BJ")),
    ("2001:200::1", Place("JP", "JP-13")),
    ("2a02:ff0::1", Place("TR")),
    # IPv4 inside IPv6: located by the embedded IPv4 address.
    ("::ffff:31.135.96.1", Place("UA", "UA-43")),  # what a dual-stack socket reports
    ("2002:1f87:6001::1", Place("UA", "UA-43")),  # 6to4 of 31.135.96.1
    ("2001:0:4136:e378:8000:63bf:e078:9ffe", Place("UA", "UA-43")),  # Teredo client 31.135.96.1, not its US relay
    # Surrounding blanks are tolerated (header values).
    (" 31.135.96.1 ", Place("UA", "UA-43")),
])
def test_locates_public_addresses(geo: Geolocator, ip: str, expected: Place) -> None:
    assert geo.locate(ip) == expected


@pytest.mark.parametrize("ip", [
    "10.0.0.1", "172.16.5.4", "192.168.1.1",  # private
    "127.0.0.1", "::1",  # loopback
    "169.254.1.1", "fe80::1", "fe80::1%eth0",  # link-local
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "0.0.0.0", "::",  # unspecified
    "240.0.0.1", "255.255.255.255",  # reserved
    "224.0.0.1", "ff02::1",  # multicast
    "192.0.2.1", "198.51.100.1", "203.0.113.1", "2001:db8::1",  # documentation
    "fc00::1",  # unique local
    "::ffff:10.0.0.1", "::ffff:127.0.0.1",  # private IPv4 behind a mapped IPv6 address
    "2.16.0.1",  # in the database with a continent only
])
def test_cannot_tell_where_these_are(geo: Geolocator, ip: str) -> None:
    assert geo.locate(ip) is None


@pytest.mark.parametrize("ip", ["", "   ", "1.2.3", "1.2.3.256", "not-an-ip", "::g", "1.2.3.4/32", "1.2.3.4:80"])
def test_malformed_address_is_a_value_error(geo: Geolocator, ip: str) -> None:
    with pytest.raises(ValueError, match="is not an IPv4 or IPv6 address"):
        geo.locate(ip)


def test_the_bundled_build_is_described(geo: Geolocator) -> None:
    assert geo.path == bundled_database()
    assert geo.version == "GeoLite2-City 2018-07-03"


@pytest.mark.parametrize("path", [None, ""])
def test_no_path_means_the_bundled_build(path: str | None) -> None:
    with Geolocator.open(path) as locator:
        assert locator.path == bundled_database()


def test_a_configured_path(geo: Geolocator) -> None:
    with Geolocator.open(str(bundled_database()), cache_size=0) as locator:
        assert locator.locate("5.149.208.1") == Place("UA", "UA-40")


def test_cached_and_uncached_agree(geo: Geolocator) -> None:
    with Geolocator.open(cache_size=0) as uncached:
        for ip in ("31.135.96.1", "8.8.8.8", "10.0.0.1", "31.135.96.1"):
            assert uncached.locate(ip) == geo.locate(ip)


def _bad_file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "bad.mmdb"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp: tmp / "missing.mmdb", "no such file"),
    (lambda tmp: tmp, "no such file"),  # a directory
    (lambda tmp: _bad_file(tmp, b""), "not a valid MaxMind DB file"),
    (lambda tmp: _bad_file(tmp, b"not a database" * 100), "not a valid MaxMind DB file"),
])
def test_unusable_database_is_a_config_error(tmp_path: Path, make: Callable[[Path], Path],
                                             message: str) -> None:
    path = make(tmp_path)
    with pytest.raises(ConfigError, match=message) as caught:
        Geolocator.open(path)
    assert str(path) in str(caught.value)


def test_closed_locator_refuses() -> None:
    locator = Geolocator.open()
    assert locator.locate("8.8.8.8") == Place("US")
    locator.close()
    with pytest.raises(ClearanceError, match="closed"):
        locator.locate("8.8.8.8")


# A hand-built MaxMind DB (format spec: maxmind.github.io/MaxMind-DB) with one IPv4 search-tree
# node: every address whose first bit is 0 (0.0.0.0/1) gets `record`, the rest nothing.  It lets
# us check layouts and database types the bundled build cannot show.
def _encode(value: Any) -> bytes:
    def control(kind: int, size: int) -> bytes:
        assert size < 29
        return bytes([kind << 5 | size]) if kind < 8 else bytes([size, kind - 7])

    if isinstance(value, tuple):  # (type number, unsigned int)
        kind, number = int(value[0]), int(value[1])
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        return control(kind, len(raw)) + raw
    if isinstance(value, str):
        return control(2, len(value.encode())) + value.encode()
    if isinstance(value, list):
        return control(11, len(value)) + b"".join(_encode(v) for v in value)
    assert isinstance(value, dict)
    return control(7, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())


def _u16(n: int) -> tuple[int, int]:
    return (5, n)


def _tiny_database(path: Path, database_type: str, record: Mapping[str, Any]) -> Path:
    node_count = 1
    tree = (node_count + 16).to_bytes(3, "big") + node_count.to_bytes(3, "big")
    metadata = {
        "node_count": (6, node_count), "record_size": _u16(24), "ip_version": _u16(4),
        "database_type": database_type, "languages": ["en"],
        "binary_format_major_version": _u16(2), "binary_format_minor_version": _u16(0),
        "build_epoch": (9, 1_800_000_000), "description": {"en": "test"},
    }
    path.write_bytes(tree + bytes(16) + _encode(dict(record)) + b"\xab\xcd\xefMaxMind.com" + _encode(metadata))
    return path


@pytest.mark.parametrize(("database_type", "record", "ip", "expected"), [
    ("GeoIP2-Country", {"country": {"iso_code": "FR"}}, "31.135.96.1", Place("FR")),
    ("DBIP-City-Lite", {"country": {"iso_code": "FR"}, "subdivisions": [{"iso_code": "IDF"}]},
     "31.135.96.1", Place("FR", "FR-IDF")),
    ("GeoIP2-Enterprise", {"country": {"iso_code": "FR"}, "subdivisions": [{"iso_code": "ZZZ"}]},
     "31.135.96.1", Place("FR")),
    # Only where the block is registered, or a country code ISO does not know: unknown, not a guess.
    ("GeoIP2-City", {"registered_country": {"iso_code": "RU"}}, "31.135.96.1", None),
    ("GeoIP2-City", {"country": {"iso_code": "EU"}}, "31.135.96.1", None),
    # Outside the one populated network, and IPv6 in an IPv4-only database.
    ("GeoIP2-City", {"country": {"iso_code": "FR"}}, "200.1.1.1", None),
    ("GeoIP2-City", {"country": {"iso_code": "FR"}}, "2001:4860:4860::8888", None),
])
def test_other_databases_of_the_same_layout(tmp_path: Path, database_type: str, record: Mapping[str, Any],
                                           ip: str, expected: Place | None) -> None:
    with Geolocator.open(_tiny_database(tmp_path / "t.mmdb", database_type, record)) as locator:
        assert locator.locate(ip) == expected
        assert locator.version == f"{database_type} 2027-01-15"


@pytest.mark.parametrize("database_type", ["GeoLite2-ASN", "GeoIP2-Anonymous-IP", "GeoIP2-ISP"])
def test_a_database_that_locates_nobody_is_refused(tmp_path: Path, database_type: str) -> None:
    path = _tiny_database(tmp_path / "asn.mmdb", database_type, {"autonomous_system_number": (6, 1)})
    with pytest.raises(ConfigError, match=f"a {database_type} database does not locate countries"):
        Geolocator.open(path)
