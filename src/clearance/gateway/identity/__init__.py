"""Who is calling: API keys and operator tokens from the store, JWTs from configured OIDC issuers.

    Caller              a model-API caller: subject id, credential id, method, claimed Subject
    Operator            an admin-API operator: token id and role
    Unauthenticated     no usable credential (HTTP 401); the message never repeats a secret
    IssuerUnavailable   an issuer's keys cannot be fetched (an Unauthenticated; 503 if you like)
    KeyRing             the active keys and tokens of one store revision, in memory
    Authenticator       headers → Caller (`authenticate`) or Operator (`operator`)
    OidcIssuer          one trusted identity provider; `issuers_from_settings` builds them all

Everything else in this package is private to it.
"""

from clearance.gateway.identity.authenticator import Authenticator
from clearance.gateway.identity.caller import Caller, IssuerUnavailable, Operator, Unauthenticated
from clearance.gateway.identity.keyring import KeyRing
from clearance.gateway.identity.oidc import OidcIssuer, issuers_from_settings

__all__ = ["Authenticator", "Caller", "IssuerUnavailable", "KeyRing", "OidcIssuer", "Operator", "Unauthenticated",
           "issuers_from_settings"]
