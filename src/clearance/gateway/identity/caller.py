"""Who is calling, as the gateway knows it after authentication, and why it may not know.

Nothing here ever holds a secret: a caller is named by its subject and by the id of the credential
it used (an API key's id, or `jwt:<issuer>#<jti or sub>`), which is what logs and the audit trail
may show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from clearance.domain.subjects import Subject
from clearance.store.credentials import OperatorRole


@dataclass(frozen=True)
class Caller:
    """A caller of the model APIs: the subject it acts as, and how that was established."""

    subject_id: str
    credential_id: str  # key id, or "jwt:<issuer>#<jti or sub>": never a secret
    method: Literal["api_key", "jwt"]
    claimed: Subject | None = None  # a Subject built from token claims (None for API keys / no claim mapping)


@dataclass(frozen=True)
class Operator:
    """An operator of the admin API, by the token it presented and the role that token carries."""

    token_id: str
    role: OperatorRole


class Unauthenticated(Exception):
    """The request carries no usable credential: HTTP 401.

    The message says what is wrong (no credential, an unknown key, an expired token, a bad claim)
    so that a caller can fix it, and never repeats the secret or token it was given.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class IssuerUnavailable(Unauthenticated):
    """An issuer's keys could not be fetched, so no token of it can be checked.

    Still a refusal (fail closed), but not the caller's fault: the gateway may answer 503 rather
    than 401 for it, and operators should be alerted.
    """
