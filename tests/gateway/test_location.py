"""Whom the gateway believes about a caller's address: table-driven cases and properties."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.gateway.exchange import header_map
from clearance.gateway.location import AddressResolver

TRUSTED = AddressResolver([ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8"),
                           ipaddress.ip_network("fd00::/8")])

CASES = [
    # peer, Forwarded, X-Forwarded-For, expected client ip
    ("203.0.113.9", None, None, "203.0.113.9"),
    ("203.0.113.9", None, "198.51.100.1", "203.0.113.9"),  # untrusted peer: its header is ignored
    ("203.0.113.9", "for=198.51.100.1", None, "203.0.113.9"),
    ("127.0.0.1", None, "198.51.100.1", "198.51.100.1"),
    ("127.0.0.1", None, "198.51.100.1, 10.1.2.3", "198.51.100.1"),  # inner proxy skipped
    ("127.0.0.1", None, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged left-most entry is not believed
    ("127.0.0.1", None, "10.9.9.9, 10.1.1.1", "10.9.9.9"),  # every hop ours: the furthest one
    ("127.0.0.1", "for=198.51.100.1", "6.6.6.6", "198.51.100.1"),  # Forwarded wins over X-Forwarded-For
    ("127.0.0.1", 'for="[2001:db8::1]:4711"', None, "2001:db8::1"),
    ("127.0.0.1", "for=198.51.100.1:8080;proto=https, for=10.0.0.2", None, "198.51.100.1"),
    ("127.0.0.1", "For=198.51.100.7;By=10.0.0.1", None, "198.51.100.7"),
    ("127.0.0.1", "for=unknown", None, None),  # RFC 7239 "unknown": the client cannot be located
    ("127.0.0.1", "for=_hidden", None, None),  # an obfuscated identifier
    ("127.0.0.1", "proto=https", None, None),  # an element without for=
    ("127.0.0.1", None, "not-an-ip", None),
    ("127.0.0.1", None, "", "127.0.0.1"),  # nothing forwarded: the proxy itself is the caller
    ("::ffff:127.0.0.1", None, "198.51.100.1", "198.51.100.1"),  # IPv4-mapped peer is the same proxy
    ("fd00::5", None, "2001:db8::7", "2001:db8::7"),
    (None, None, "198.51.100.1", None),  # no peer (a Unix socket): nothing to go on
]


@pytest.mark.parametrize(("peer", "forwarded", "xff", "expected"), CASES)
def test_client_address(peer: str | None, forwarded: str | None, xff: str | None, expected: str | None) -> None:
    assert TRUSTED.resolve(peer, forwarded, xff).ip == expected


def test_the_chain_is_kept_as_evidence_for_the_audit() -> None:
    address = TRUSTED.resolve("127.0.0.1", None, "198.51.100.1, 10.1.2.3")
    assert address.peer == "127.0.0.1"
    assert address.forwarded_for == ("198.51.100.1", "10.1.2.3")


def test_nobody_trusted_means_headers_never_count() -> None:
    resolver = AddressResolver([])
    assert resolver.resolve("127.0.0.1", "for=198.51.100.1", "198.51.100.1").ip == "127.0.0.1"


ipv4 = st.builds(lambda n: str(ipaddress.IPv4Address(n)), st.integers(0, 2**32 - 1))


@given(peer=ipv4, header=st.lists(ipv4, max_size=5).map(", ".join))
def test_an_untrusted_peer_is_always_the_client(peer: str, header: str) -> None:
    if TRUSTED.trusts(ipaddress.ip_address(peer)):
        return
    assert TRUSTED.resolve(peer, f"for={header}" if header else None, header).ip == peer


@given(forged=st.lists(ipv4, max_size=4), client=ipv4)
def test_whatever_a_client_prepends_the_address_our_proxy_saw_wins(forged: list[str], client: str) -> None:
    """Our proxy appends the address it saw; anything to its left was written by the client."""
    if TRUSTED.trusts(ipaddress.ip_address(client)):
        return
    header = ", ".join([*forged, client])
    assert TRUSTED.resolve("10.0.0.1", None, header).ip == client


@given(requests=st.lists(st.tuples(st.sampled_from([c[0] for c in CASES] + ["203.0.113.9:5000", "10.0.0.7"]),
                                   st.sampled_from([c[1] for c in CASES]),
                                   st.sampled_from([c[2] for c in CASES])), max_size=30))
def test_a_resolver_that_remembers_peers_answers_as_a_fresh_one(
        requests: list[tuple[str | None, str | None, str | None]]) -> None:
    """Neither memory (of untrusted peers; of trusted ones with their headers) may carry one request's
    headers into another's answer."""
    networks = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8")]
    remembering = AddressResolver(networks)
    for peer, forwarded, xff in requests:
        assert remembering.resolve(peer, forwarded, xff) == AddressResolver(networks).resolve(peer, forwarded, xff)


@given(lines=st.lists(st.tuples(st.sampled_from(["X-Forwarded-For", "x-forwarded-for", "Forwarded", "Authorization"]),
                                st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)),
                      max_size=6))
def test_repeated_header_lines_are_one_list_in_their_order(lines: list[tuple[str, str]]) -> None:
    """What `header_map` gives a request's code: names lower-cased, a repeated header's lines joined with
    ", " in the order they came (RFC 9110, 5.3), so no line of a list can be skipped."""
    scope = {"headers": [(name.encode(), value.encode()) for name, value in lines]}
    found = header_map(scope)
    for name in {n.lower() for n, _ in lines}:
        assert found[name] == ", ".join(value for n, value in lines if n.lower() == name)
    assert set(found) == {n.lower() for n, _ in lines}
