"""The enforcement proxy: OpenAI- and Anthropic-compatible routes that decide before they forward.

    create_app(settings) -> Starlette     the ASGI application; `clearance serve` runs it on uvicorn
"""

from clearance.gateway.app import create_app

__all__ = ["create_app"]
