"""Fake model APIs that speak OpenAI's chat-completions and Anthropic's messages wire formats.

The real SDKs are pointed at them through the base-URL settings. Each test scripts what the next requests
get (an answer, an HTTP error, a hang, a garbled body) and reads back everything the server received, so
it can check what left Cyrano (redaction, headers) as well as what Cyrano made of the answer.
"""

import json
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.asgi import serve

Vendor = Literal["openai", "anthropic"]


@dataclass(frozen=True)
class Reply:
    """One scripted response. Build them with `answer`, `status`, `hang` and `garbage`."""

    kind: Literal["answer", "status", "hang", "garbage"]
    text: str = "ok"
    structured: dict[str, Any] | None = None
    status_code: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    input_tokens: int = 12
    output_tokens: int = 5


def answer(
    text: str = "ok", structured: dict[str, Any] | None = None, *, input_tokens: int = 12, output_tokens: int = 5
) -> Reply:
    """A 200 answer. `structured` is what a structured request gets; without it, such a request gets `text`."""
    return Reply("answer", text=text, structured=structured, input_tokens=input_tokens, output_tokens=output_tokens)


def status(code: int, *, retry_after: str | None = None) -> Reply:
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    return Reply("status", status_code=code, headers=headers)


def hang(seconds: float) -> Reply:
    """Answer only after `seconds` (or when the server stops), long past any sensible client timeout."""
    return Reply("hang", seconds=seconds)


def garbage() -> Reply:
    """A 200 whose body is not JSON at all."""
    return Reply("garbage")


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeModelServer:
    def __init__(self, vendor: Vendor) -> None:
        self.vendor = vendor
        self.script: deque[Reply] = deque()
        self.default = answer("ok", {"status": "ok"})
        self.received: list[Received] = []
        self.models_status = 200  # what the model-list probe (`cyrano-mcp doctor`) gets
        self._release = anyio.Event()

    def enqueue(self, *replies: Reply) -> None:
        self.script.extend(replies)

    @property
    def requests(self) -> list[Received]:
        """The model requests (not the model-list probes), oldest first."""
        return [r for r in self.received if r.method == "POST"]

    def everything_received(self) -> str:
        """All headers and bodies as one string, for "this never left the machine" assertions."""
        return json.dumps([[r.path, r.headers, r.body] for r in self.received])

    def app(self) -> Starlette:
        path = "/v1/chat/completions" if self.vendor == "openai" else "/v1/messages"
        return Starlette(
            routes=[Route(path, self._complete, methods=["POST"]), Route("/v1/models", self._models, methods=["GET"])]
        )

    def release_hangs(self) -> None:
        self._release.set()

    async def _models(self, request: Request) -> Response:
        self.received.append(Received("GET", request.url.path, dict(request.headers), {}))
        if self.models_status != 200:
            return JSONResponse(_error_body(self.vendor, self.models_status), self.models_status)
        return JSONResponse({"object": "list", "data": [{"id": "fake-model", "object": "model"}]})

    async def _complete(self, request: Request) -> Response:
        body = await request.json()
        self.received.append(Received("POST", request.url.path, dict(request.headers), body))
        reply = self.script.popleft() if self.script else self.default
        if reply.kind == "status":
            return JSONResponse(_error_body(self.vendor, reply.status_code), reply.status_code, headers=reply.headers)
        if reply.kind == "garbage":
            return Response('{"id": "cut off mid', media_type="application/json")
        if reply.kind == "hang":
            with anyio.move_on_after(reply.seconds):
                await self._release.wait()
        render = _openai_answer if self.vendor == "openai" else _anthropic_answer
        return JSONResponse(render(body, reply))


def _error_body(vendor: Vendor, code: int) -> dict[str, Any]:
    kind = "rate_limit_error" if code == 429 else "api_error"
    if vendor == "openai":
        return {"error": {"message": f"fake {code}", "type": kind, "code": None, "param": None}}
    return {"type": "error", "error": {"type": kind, "message": f"fake {code}"}}


def _openai_answer(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    wants_schema = body.get("response_format", {}).get("type") == "json_schema"
    content = json.dumps(reply.structured) if wants_schema and reply.structured is not None else reply.text
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": body["model"],
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": reply.input_tokens,
            "completion_tokens": reply.output_tokens,
            "total_tokens": reply.input_tokens + reply.output_tokens,
        },
    }


def _anthropic_answer(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    forced = body.get("tool_choice", {})
    block: dict[str, Any]
    if forced.get("type") == "tool" and reply.structured is not None:
        block = {"type": "tool_use", "id": "toolu_fake", "name": forced["name"], "input": reply.structured}
    else:
        block = {"type": "text", "text": reply.text}
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": [block],
        "stop_reason": "tool_use" if block["type"] == "tool_use" else "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
    }


@asynccontextmanager
async def running(vendor: Vendor) -> AsyncIterator[tuple[FakeModelServer, str]]:
    """A fake of `vendor` on a free loopback port; yields it and the base URL its SDK should use."""
    fake = FakeModelServer(vendor)
    async with serve(fake.app()) as url:
        try:
            yield fake, f"{url}/v1" if vendor == "openai" else url
        finally:
            fake.release_hangs()
