"""The admin API under `/admin/api/…`: what the CLI does, over HTTP, for operators with tokens.

    routes      the Starlette routes the gateway mounts (`create_app` includes them)

Never open without credentials: every route needs an operator token (`clearance tokens create`),
and a model-API key never opens it.  Roles, least to most: auditor reads; compliance also decides
screening reviews and revokes licenses; admin may do everything.
"""

from clearance.admin.routes import routes

__all__ = ["routes"]
