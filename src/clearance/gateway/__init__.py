"""The enforcement proxy: OpenAI- and Anthropic-compatible routes that decide before they forward.

    create_app(settings) -> Starlette     the ASGI application; `clearance serve` runs it on uvicorn

`create_app` is imported on first use, so a tool that needs one piece (the address resolver, the
error shapes) does not pay for Starlette, aiohttp and the policy engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clearance.gateway.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from clearance.gateway.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
