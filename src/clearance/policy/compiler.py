"""One directive → one Cedar `forbid` policy that a compliance reviewer can read.

The policy is satisfied, for one destination of a request, exactly when docs/rules.md says that
destination is restricted by the directive and not covered by a license.  Its shape:

    @id("BIS-2026-AI-001") @action("deny") @mode("enforce")
    forbid (principal, action, resource)
    when { context.basis != "citizenship" }                             // deemed: most-recent
    when { <listed party> || (<person matches> && resource in [<zone>] && !(resource in [<except>])) }
    when { context.now >= 1763251200000000 }                            // effective (and expires)
    when { resource in [Model::"fable-5", Model::"mythos-5"] }          // scope (a Target is in its Model)
    unless { context has held && action == invoke && <a held license covers it> };

The zone is a list of places; a request's Target is in the Place of its destination, and the three
special destinations (domestic access, unknown location, unknown citizenship) are Places of their
own, so one `in` decides the whole of rules §4's "d in the zone".

Every part whose outcome is fixed at compile time is folded away, so the text shows only what can
vary between requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clearance.domain.destinations import Basis
from clearance.domain.directives import Deemed, Directive, Licensing, Persons, Unknown
from clearance.domain.groups import GROUP_PREFIX, CountryGroups
from clearance.domain.selectors import expand_destination
from clearance.domain.subjects import PersonStatus
from clearance.domain.timeutil import iso
from clearance.policy.names import (
    ACTION,
    ASSESS,
    DOMESTIC_PLACE,
    INVOKE,
    MODEL,
    PLACE,
    SPECIAL_PLACES,
    SUBJECT,
    WORLD_PLACE,
    cedar_string,
    micros,
    uid,
)

ALL_PERSONS = frozenset(p.value for p in PersonStatus)
BASELINE_ID = "catalog-baseline"
BASELINE = (
    f"// Every model in the catalog may be used unless a directive forbids it; anything else is refused.\n"
    f'@id("{BASELINE_ID}")\n'
    f"permit (principal, action in [{uid(ACTION, INVOKE)}, {uid(ACTION, ASSESS)}], "
    f'resource in {uid(MODEL, "catalog")});'
)


def _places(selectors: Iterable[str]) -> str:
    return "[" + ", ".join(uid(PLACE, s) for s in selectors) + "]"


def _or(parts: list[str]) -> str:
    if not parts:
        return "false"
    return parts[0] if len(parts) == 1 else " || ".join(f"({p})" for p in parts)


@dataclass(frozen=True)
class Plan:
    """What a directive's conditions reduce to before any request: the one reading of docs/rules.md §4
    that both the policy text and the slicing of policy sets (`may_apply`) are made from."""

    persons: frozenset[str]  # person statuses that match ("us", "foreign", "unknown")
    parties: tuple[str, ...]
    most_recent: bool  # deemed: most-recent, so `citizenship` destinations never count
    zone: tuple[str, ...]  # Place ids a restricted destination is in (WORLD for every country)
    excepted: tuple[str, ...]
    specials: frozenset[str]  # which of the special destinations (domestic, unknowns) are in the zone

    listed: frozenset[str] | None  # the countries and regions of the zone (groups expanded); None: all
    spared: frozenset[str] = frozenset()  # the countries and regions of the exceptions (groups expanded)

    def may_apply(self, person: str, basis: str, place: str) -> bool:
        """False only where the policy cannot be satisfied for this person, kind of destination and place.

        It may say True where the policy is not satisfied, never the reverse: it only chooses which
        policies Cedar evaluates, and Cedar decides.
        """
        if self.most_recent and basis == Basis.CITIZENSHIP.value:
            return False
        if self.parties:
            return True
        if person not in self.persons:
            return False
        if basis in SPECIAL_PLACES:
            return basis in self.specials
        country = place.split("-", 1)[0]
        if place in self.spared or country in self.spared:  # a region is in its country
            return False
        if self.listed is None:
            return True
        return place in self.listed or country in self.listed


def plan(directive: Directive, groups: CountryGroups, home_country: str) -> Plan:
    restrict = directive.restrict
    excepted = directive.excepted
    persons = {PersonStatus.US_PERSON.value, PersonStatus.FOREIGN.value, PersonStatus.UNKNOWN.value}
    if restrict.persons is Persons.NONE:
        persons = set()
    elif restrict.persons is Persons.FOREIGN:
        persons = {PersonStatus.FOREIGN.value}
        if restrict.unknown is Unknown.DENY:
            persons.add(PersonStatus.UNKNOWN.value)
    specials: set[str] = set()
    home_excepted = any(home_country in expand_destination(s, groups) for s in excepted)
    if restrict.all_destinations and not home_excepted:
        specials.add(DOMESTIC_PLACE)
    certain = restrict.all_destinations and not excepted  # an unknown place is surely in the zone
    fail_closed = restrict.unknown is Unknown.DENY
    if certain or fail_closed:
        specials.add(Basis.UNKNOWN_LOCATION.value)
    # A deemed destination is a country: an unknown citizenship cannot fall in a zone of regions only.
    names_country = restrict.all_destinations or any("-" not in s for s in restrict.destinations)
    if certain or (fail_closed and names_country):
        specials.add(Basis.UNKNOWN_CITIZENSHIP.value)
    known = (WORLD_PLACE,) if restrict.all_destinations else restrict.destinations
    listed = None if restrict.all_destinations else frozenset(
        place for selector in restrict.destinations for place in expand_destination(selector, groups))
    spared = frozenset(place for selector in excepted for place in expand_destination(selector, groups))
    return Plan(frozenset(persons), restrict.parties, restrict.deemed is Deemed.MOST_RECENT,
                known + tuple(p for p in SPECIAL_PLACES if p in specials), excepted, frozenset(specials), listed,
                spared)


def _restricted(directive: Directive, p: Plan) -> str:
    """The Cedar condition "this destination is restricted by the directive" (rules §4)."""
    zone = f"resource in {_places(p.zone)}"
    if p.excepted:
        zone += f" && !(resource in {_places(p.excepted)})"
    if p.persons == ALL_PERSONS:
        restricted = zone
    elif not p.persons:
        restricted = "false"
    else:
        who = " || ".join(f"context.person == {cedar_string(x)}" for x in sorted(p.persons))
        restricted = f"({who}) && {zone}" if len(p.persons) > 1 else f"{who} && {zone}"
    party = _party(directive)
    return restricted if party is None else f"({party}) || ({restricted})"


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
    # `has` first: it is the cheaper test, and false for every request without licenses (`assess`).
    return f"context has held && action == {uid(ACTION, INVOKE)} && ({here} || {anywhere})"


def model_selector_uid(selector: str) -> str:
    return uid(MODEL, selector)


def compile_directive(directive: Directive, groups: CountryGroups, home_country: str) -> str:
    """The Cedar text of one directive in force (enforce or shadow).

    Conditions come in the order that rejects most requests soonest: Cedar stops at the first
    false `when`, and the scope check (true for every request it is sliced to) comes last.
    """
    p = plan(directive, groups, home_country)
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
    # No action constraint: the schema has only `invoke` and `assess`, and every directive speaks to
    # both (the `unless` below tells them apart); a constraint here would cost each request ~1 µs a policy.
    lines.append("forbid (principal, action, resource)")
    if p.most_recent:
        lines.append('when { context.basis != "citizenship" }  // deemed: most recent citizenship or residency')
    lines.append(f"when {{ {_restricted(directive, p)} }}")
    if directive.scope.capabilities:
        caps = ", ".join(cedar_string(c) for c in directive.scope.capabilities)
        lines.append(f"when {{ context has capabilities && context.capabilities.containsAny([{caps}]) }}")
    window = f"context.now >= {micros(directive.effective)}"
    comment = f"  // effective {iso(directive.effective)}"
    if directive.expires is not None:
        window += f" && context.now < {micros(directive.expires)}"
        comment += f", expires {iso(directive.expires)}"
    lines.append(f"when {{ {window} }}{comment}")
    models = ", ".join(model_selector_uid(s) for s in directive.scope.models)
    lines.append(f"when {{ resource in [{models}] }}")
    licensed = _licensed(directive)
    if licensed is not None:
        lines.append(f"unless {{ {licensed} }}")
    lines[-1] += ";"
    return "\n".join(lines)


def group_place(group: str) -> str:
    return GROUP_PREFIX + group
