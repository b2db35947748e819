"""IP geolocation: the country (and ISO 3166-2 region) a request comes from.

Access from abroad is an export to wherever the caller is, so the gateway needs the caller's
*located* country, not the country the address block is registered to.  A request whose place
cannot be told gets ``None`` and is treated by each directive's ``unknown`` policy, never as domestic.
"""

from clearance.geo.locator import Geolocator, bundled_database

__all__ = ["Geolocator", "bundled_database"]
