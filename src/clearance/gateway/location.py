"""Where a caller is: the socket's peer, or what a trusted proxy says about the client behind it.

`X-Forwarded-For` and `Forwarded` (RFC 7239) are believed only when the peer that sent them is a
trusted proxy, and then only as far back as the chain stays inside trusted proxies: the address we
use is the right-most one that is *not* a trusted proxy.  The left-most entry is whatever the client
chose to write, so taking it (as many gateways do) lets anyone claim to be anywhere.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# for=... inside one Forwarded element; the value may be a token or a quoted string.
_FORWARDED_FOR = re.compile(r'(?:^|;)\s*for\s*=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*)', re.IGNORECASE)


@dataclass(frozen=True)
class ClientAddress:
    """The address decisions locate, and the evidence for it (kept in the audit record)."""

    ip: str | None  # None: no usable address (a Unix socket, an obfuscated `for=` from a trusted proxy)
    peer: str | None
    forwarded_for: tuple[str, ...] = ()  # the chain as the trusted proxies reported it, client first


_REMEMBERED_PEERS = 65_536


class AddressResolver:
    """Turns a connection and its headers into the client's address; shared by every request.

    The answer is a function of the peer and the two headers, so it is remembered: parsing the
    addresses and testing them against the trusted networks was a few µs of every request.  For a
    peer that is not a trusted proxy the answer depends on the peer alone (its headers are only the
    client's say-so); for a trusted one (a load balancer, or loopback by default) on the headers
    too.  Each memory is cleared when it fills, so headers that vary cannot make it grow."""

    def __init__(self, trusted: Sequence[Network]) -> None:
        self._trusted = tuple(trusted)
        self._untrusted: dict[str | None, ClientAddress] = {}
        self._proxied: dict[tuple[str, str | None, str | None], ClientAddress] = {}

    def trusts(self, address: Address) -> bool:
        return any(address in network for network in self._trusted)

    def resolve(self, peer: str | None, forwarded: str | None, x_forwarded_for: str | None) -> ClientAddress:
        known = self._untrusted.get(peer)
        if known is not None:
            return known
        key = (peer or "", forwarded, x_forwarded_for)
        known = self._proxied.get(key)
        if known is not None:
            return known
        peer_address = _address(peer)
        if peer is None or peer_address is None:
            return ClientAddress(None, peer)
        if not self.trusts(peer_address):
            if len(self._untrusted) >= _REMEMBERED_PEERS:
                self._untrusted.clear()
            known = self._untrusted[peer] = ClientAddress(str(peer_address), peer)
            return known
        if len(self._proxied) >= _REMEMBERED_PEERS:
            self._proxied.clear()
        known = self._proxied[key] = self._behind(peer, peer_address, forwarded, x_forwarded_for)
        return known

    def _behind(self, peer: str, peer_address: Address, forwarded: str | None,
                x_forwarded_for: str | None) -> ClientAddress:
        """The client behind a trusted proxy, from what the proxies say."""
        chain = _forwarded_chain(forwarded) if forwarded else _x_forwarded_chain(x_forwarded_for)
        if not chain:
            return ClientAddress(str(peer_address), peer)
        # Walk from the nearest hop outwards while the hops are our own proxies.
        for hop in reversed(chain):
            address = _address(hop)
            if address is None:  # "unknown" or an obfuscated identifier: the client cannot be located
                return ClientAddress(None, peer, tuple(chain))
            if not self.trusts(address):
                return ClientAddress(str(address), peer, tuple(chain))
        return ClientAddress(str(_address(chain[0])), peer, tuple(chain))


def _x_forwarded_chain(header: str | None) -> list[str]:
    if not header:
        return []
    return [part.strip() for part in header.split(",") if part.strip()]


def _forwarded_chain(header: str) -> list[str]:
    """The `for=` values of a Forwarded header, one per element, in order; an element without one is "unknown"."""
    chain: list[str] = []
    for element in _split_elements(header):
        match = _FORWARDED_FOR.search(element)
        value = match.group(1) if match else "unknown"
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        chain.append(value)
    return chain


def _split_elements(header: str) -> list[str]:
    """Split on commas outside quoted strings (an IPv6 `for="[::1]:80"` may not contain one, but a token may)."""
    elements: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in header:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            elements.append("".join(current))
            current = []
            continue
        current.append(char)
    elements.append("".join(current))
    return [e for e in elements if e.strip()]


def _address(value: str | None) -> Address | None:
    """An IP from a peer or hop: "1.2.3.4", "1.2.3.4:80", "[2001:db8::1]:443", "2001:db8::1"; else None."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
