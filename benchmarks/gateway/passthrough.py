"""The thinnest pass-through (Starlette + aiohttp): the yardstick the gateway's throughput is held to.

Run: python benchmarks/gateway/passthrough.py PORT UPSTREAM_URL
"""

from __future__ import annotations

import sys

import aiohttp
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

UPSTREAM = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:9001"
session: aiohttp.ClientSession | None = None


async def chat(request: Request) -> Response:
    global session
    if session is None:
        session = aiohttp.ClientSession()
    async with session.post(UPSTREAM + "/v1/chat/completions", data=await request.body(),
                            headers={"content-type": "application/json"}) as upstream:
        return Response(await upstream.read(), status_code=upstream.status, media_type="application/json")


app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), loop="uvloop", http="httptools",
                log_level="warning", access_log=False)
