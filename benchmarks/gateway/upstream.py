"""The loopback model server every benchmark row talks to: a fixed OpenAI chat answer, as fast as uvicorn goes.

Run: python benchmarks/gateway/upstream.py PORT
"""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ANSWER = (b'{"id":"chatcmpl-bench","object":"chat.completion","created":0,"model":"bench-upstream",'
          b'"choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],'
          b'"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}')


async def chat(request: Request) -> Response:
    await request.body()
    return Response(ANSWER, media_type="application/json")


app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), loop="uvloop", http="httptools",
                log_level="warning", access_log=False)
