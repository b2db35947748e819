"""The Cedar schema every compiled policy set is validated against.

The `Cover.grants` record has one optional attribute per directive that accepts licenses, so the
schema is generated for each policy version; everything else is fixed.
"""

from __future__ import annotations

from collections.abc import Iterable

from clearance.policy.names import NAMESPACE, cedar_string

_TEMPLATE = """namespace {ns} {{
  // Countries ("CN"), regions ("UA-43") and EAR country groups ("group:D:5"); a region is in its
  // country, a country in its groups.
  entity Place in [Place];
  // Models, their families ("family:fable"), tiers ("tier:frontier") and the catalog; a model
  // carries, per directive, the licenses that cover it whatever the destination.
  entity Model in [Model] = {{
    grants_any?: {{ {grants} }},
  }};
  entity Subject;
  entity License = {{
    holder: String,
    status: String,
    valid_from: Long,
    valid_until?: Long,
  }};
  // A model at a destination ("fable-5|CN"), the resource of every request; per directive, the
  // licenses that cover the model there.
  entity Target in [Model, Place] = {{
    grants: {{ {grants} }},
    model: Model,
  }};
  action invoke, assess appliesTo {{
    principal: Subject,
    resource: Target,
    context: {{
      now: Long,                 // microseconds since the epoch
      person: String,            // "us" | "foreign" | "unknown"
      basis: String,             // location, deemed, citizenship, unknown-location, unknown-citizenship, domestic
      organization?: String,     // only when the caller has one
      capabilities?: Set<String>,  // only when the request was classified into some
      held?: Set<License>,       // licenses in force held by the caller, their organisation or the destination
    }},
  }};
}}
"""


def cedar_schema(licensable_directives: Iterable[str]) -> str:
    grants = ", ".join(f"{cedar_string(d)}?: Set<License>" for d in sorted(licensable_directives))
    return _TEMPLATE.format(ns=NAMESPACE, grants=grants)
