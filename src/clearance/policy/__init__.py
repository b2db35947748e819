"""Directives and licenses compiled to Cedar, and the decisions made with them.

    compile_snapshot(...) -> PolicySnapshot    parse once per policy version; immutable
    PolicySnapshot.decide(DecisionRequest)     one uncached decision, explained
    Decider                                    the current snapshot plus a decision cache; swapped atomically

Cedar is the one source of truth for which directive applies and whether a license lifts it; the
Python around it only prepares the request (destinations, the caller's licenses) and reads the
answer back into a Decision.
"""

from clearance.policy.build import compile_snapshot
from clearance.policy.cache import DecisionCache
from clearance.policy.decider import Decider
from clearance.policy.request import DecisionRequest
from clearance.policy.snapshot import PolicyEvaluationError, PolicySnapshot

__all__ = [
    "Decider",
    "DecisionCache",
    "DecisionRequest",
    "PolicyEvaluationError",
    "PolicySnapshot",
    "compile_snapshot",
]
