"""The domain's `destinations_of` agrees with the reference's own reading of rules.md sections 1-2."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings

from clearance.domain.countries import Place
from clearance.domain.destinations import Basis, destinations_of
from clearance.domain.subjects import Nationality, Subject
from reference import Dest, Kind, person_status, request_destinations
from strategies import HOME, locations, subjects

_KIND = {Basis.LOCATION: Kind.LOCATION, Basis.DEEMED: Kind.DEEMED, Basis.CITIZENSHIP: Kind.CITIZENSHIP,
         Basis.UNKNOWN_LOCATION: Kind.UNKNOWN_LOCATION, Basis.UNKNOWN_CITIZENSHIP: Kind.UNKNOWN_CITIZENSHIP}


@settings(max_examples=1500, deadline=None)
@given(subject=subjects(), location=locations())
@example(subject=Subject("s1", citizenships=(Nationality("IN"),), permanent_residence=Nationality("IN")),
         location=None)
@example(subject=Subject("s1", citizenships=(Nationality("IN", date(2010, 1, 1)),
                                             Nationality("CA", date(2010, 1, 1)), Nationality("GB"))),
         location=Place("UA", "UA-43"))
@example(subject=Subject("s1", citizenships=(Nationality("IN", date(2001, 5, 1)),),
                         permanent_residence=Nationality("IN", date(2019, 2, 11))),
         location=Place("US", "US-CA"))
@example(subject=Subject("s1", permanent_residence=Nationality("GB")), location=Place("US"))
def test_domain_destinations_agree_with_reference(subject: Subject, location: Place | None) -> None:
    found = destinations_of(subject, location, HOME)
    assert len(set(found.destinations)) == len(found.destinations), "a destination is listed twice"
    assert {Dest(_KIND[d.basis], d.place) for d in found.destinations} == request_destinations(
        subject, location, HOME)
    assert found.person.value == person_status(subject, HOME).value
    assert found.domestic == (not request_destinations(subject, location, HOME))
