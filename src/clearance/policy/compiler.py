"""One directive → one Cedar `forbid` policy that a compliance reviewer can read.

The policy is satisfied, for one destination of a request, exactly when docs/rules.md says that
destination is restricted by the directive and not covered by a license.  Its shape:

    @id("BIS-2026-AI-001") @action("deny") @mode("enforce")
    forbid (principal, action in [invoke, assess], resource)
    when { resource in [Model::"fable-5", Model::"mythos-5"] }          // scope.models (a Target is in its Model)
    when { context.now >= 1763251200000000 }                            // effective (and expires)
    when { context.basis != "citizenship" }                             // deemed: most-recent
    when { <listed party> || (<person matches> && <destination in zone>) }
    unless { action == invoke && <a held license covers it> };

Every part whose outcome is fixed at compile time is folded away, so the text shows only what can
vary between requests.
"""

from __future__ import annotations

from clearance.domain.directives import Deemed, Directive, Licensing, Persons, Unknown
from clearance.domain.groups import GROUP_PREFIX, CountryGroups
from clearance.domain.selectors import expand_destination
from clearance.domain.timeutil import iso
from clearance.policy.names import (
    ACTION,
    ASSESS,
    INVOKE,
    MODEL,
    PLACE,
    SUBJECT,
    UNKNOWN_PLACE,
    cedar_string,
    micros,
    uid,
)

BASELINE_ID = "catalog-baseline"
BASELINE = (
    f"// Every model in the catalog may be used unless a directive forbids it; anything else is refused.\n"
    f'@id("{BASELINE_ID}")\n'
    f"permit (principal, action in [{uid(ACTION, INVOKE)}, {uid(ACTION, ASSESS)}], "
    f'resource in {uid(MODEL, "catalog")});'
)


def _places(selectors: tuple[str, ...]) -> str:
    return "[" + ", ".join(uid(PLACE, s) for s in selectors) + "]"


def _or(parts: list[str]) -> str:
    if not parts:
        return "false"
    return parts[0] if len(parts) == 1 else " || ".join(f"({p})" for p in parts)


def _zone(directive: Directive, groups: CountryGroups, home_country: str) -> str:
    """The Cedar condition "this destination is in the directive's zone"."""
    excepted = directive.excepted
    restrict = directive.restrict
    parts: list[str] = []
    home_excepted = any(home_country in expand_destination(s, groups) for s in excepted)
    if restrict.all_destinations and not home_excepted:
        parts.append('context.basis == "domestic"')
    certain = restrict.all_destinations and not excepted  # an unknown place is surely in the zone
    fail_closed = restrict.unknown is Unknown.DENY
    if certain or fail_closed:
        parts.append('context.basis == "unknown-location"')
    # A deemed destination is a country: an unknown citizenship cannot fall in a zone of regions only.
    names_country = restrict.all_destinations or any("-" not in s for s in restrict.destinations)
    if certain or (fail_closed and names_country):
        parts.append('context.basis == "unknown-citizenship"')
    known = ['context.basis != "domestic"', f"!(resource in {uid(PLACE, UNKNOWN_PLACE)})"]
    if not restrict.all_destinations:
        known.append(f"resource in {_places(restrict.destinations)}")
    if excepted:
        known.append(f"!(resource in {_places(excepted)})")
    parts.append(" && ".join(known))
    return _or(parts)


def _person(directive: Directive) -> str | None:
    """The Cedar condition "the person matches"; None when it always does."""
    persons = directive.restrict.persons
    if persons is Persons.ALL:
        return None
    if persons is Persons.NONE:
        return "false"
    if directive.restrict.unknown is Unknown.DENY:
        return 'context.person == "foreign" || context.person == "unknown"'
    return 'context.person == "foreign"'


def _party(directive: Directive) -> str | None:
    parts = []
    for party in directive.restrict.parties:
        kind, _, ident = party.partition(":")
        if kind == "subject":
            parts.append(f"principal == {uid(SUBJECT, ident)}")
        else:
            parts.append(f"(context has organization && context.organization == {cedar_string(ident)})")
    return _or(parts) if parts else None


def _licensed(directive: Directive) -> str | None:
    if directive.licensing is Licensing.NONE:
        return None
    key = cedar_string(directive.id)
    here = f"(resource.grants has {key} && context.held.containsAny(resource.grants[{key}]))"
    anywhere = (f"(resource.model has grants_any && resource.model.grants_any has {key} && "
                f"context.held.containsAny(resource.model.grants_any[{key}]))")
    return f"action == {uid(ACTION, INVOKE)} && context has held && ({here} || {anywhere})"


def model_selector_uid(selector: str) -> str:
    return uid(MODEL, selector)


def compile_directive(directive: Directive, groups: CountryGroups, home_country: str) -> str:
    """The Cedar text of one directive in force (enforce or shadow)."""
    lines = [
        f"// {directive.id}: {directive.title.strip()}".replace("\n", " "),
        f"// issued {directive.issued} by {directive.authority.strip()}; licensing {directive.licensing.value}"
        .replace("\n", " "),
        f"@id({cedar_string(directive.id)})",
        f"@action({cedar_string(directive.action.value)})",
        f"@mode({cedar_string(directive.mode.value)})",
    ]
    if directive.degrade_to:
        lines.append(f"@degrade_to({cedar_string(directive.degrade_to)})")
    lines.append(f"forbid (principal, action in [{uid(ACTION, INVOKE)}, {uid(ACTION, ASSESS)}], resource)")
    models = ", ".join(model_selector_uid(s) for s in directive.scope.models)
    lines.append(f"when {{ resource in [{models}] }}")
    if directive.scope.capabilities:
        caps = ", ".join(cedar_string(c) for c in directive.scope.capabilities)
        lines.append(f"when {{ context has capabilities && context.capabilities.containsAny([{caps}]) }}")
    window = f"context.now >= {micros(directive.effective)}"
    comment = f"  // effective {iso(directive.effective)}"
    if directive.expires is not None:
        window += f" && context.now < {micros(directive.expires)}"
        comment += f", expires {iso(directive.expires)}"
    lines.append(f"when {{ {window} }}{comment}")
    if directive.restrict.deemed is Deemed.MOST_RECENT:
        lines.append('when { context.basis != "citizenship" }  // deemed: most recent citizenship or residency')
    person = _person(directive)
    restricted = _zone(directive, groups, home_country)
    if person is not None:
        restricted = f"({person}) && ({restricted})"
    party = _party(directive)
    if party is not None:
        restricted = f"({party}) || ({restricted})"
    lines.append(f"when {{ {restricted} }}")
    licensed = _licensed(directive)
    if licensed is not None:
        lines.append(f"unless {{ {licensed} }}")
    lines[-1] += ";"
    return "\n".join(lines)


def group_place(group: str) -> str:
    return GROUP_PREFIX + group
