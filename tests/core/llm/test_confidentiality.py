"""What must never leave the machine, or reach a log: client identifiers, prompts, the caller's credentials."""

import io
import logging
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from pydantic import SecretStr

from cyrano_mcp.http import build_http_app
from cyrano_mcp.kit import LLMRequest, Message, ModelOutputError
from cyrano_mcp.llm.redaction import Redactor
from cyrano_mcp.observability.logging import configure_logging
from cyrano_mcp.registry import EngineSource
from cyrano_mcp.server import Runtime, build_server
from cyrano_mcp.settings import Settings
from tests.core.llm import probe_engine
from tests.core.llm.conftest import MODEL, OWN_KEY, GatewayFactory, Upstream, Verdict, vendor_provider
from tests.fakes.asgi import serve
from tests.fakes.models import answer, running, status
from tests.utils.auth import add_user, login
from tests.utils.mcp import ok

pytestmark = pytest.mark.anyio

SSN, CARD, ACCOUNT = "123-45-6789", "4111 1111 1111 1111", "000123456789"
PLANTED = LLMRequest(
    system=f"Client file. SSN {SSN}.",
    messages=(
        Message.user(f"Refund to card {CARD} or account number {ACCOUNT}?"),
        Message.assistant("Which one did the client use?"),
        Message.user(f"The card, {CARD.replace(' ', '-')}. Her SSN again: {SSN.replace('-', ' ')}."),
    ),
)
PRIVILEGED = "privileged memo on the Hargreaves settlement"


def identifiers_in(text: str) -> list[str]:
    """Each planted identifier, in any of the spellings used, found in `text`."""
    spellings = [SSN, SSN.replace("-", " "), "123456789", CARD, CARD.replace(" ", "-"), "4111111111111111", ACCOUNT]
    return [value for value in spellings if value in text]


async def test_planted_identifiers_never_reach_the_vendor(upstream: Upstream, make_gateway: GatewayFactory) -> None:
    gateway = make_gateway(upstream.provider())
    upstream.fake.enqueue(
        answer("Use the card."), answer("{oops"), answer(structured={"verdict": "x", "confidence": 1})
    )

    said = await gateway.complete(PLANTED)
    found = await gateway.complete(PLANTED, Verdict)  # the repair turn resends the conversation

    sent = upstream.fake.everything_received()
    assert identifiers_in(sent) == []
    assert "[SSN REDACTED]" in sent and "[CARD NUMBER REDACTED]" in sent and "[ACCOUNT NUMBER REDACTED]" in sent
    assert said.redactions == found.redactions == {"ssn": 2, "card": 2, "bank_account": 1}
    assert said.redacted and found.repaired


async def test_with_redaction_turned_off_the_same_identifiers_do_reach_the_vendor(make_gateway: GatewayFactory) -> None:
    """The check above can see a leak: switch masking off and the fake receives the digits."""
    async with running("openai") as (fake, url):
        gateway = make_gateway(vendor_provider("openai", url), redactor=Redactor([]))
        said = await gateway.complete(PLANTED)

    assert identifiers_in(fake.everything_received()) != []
    assert not said.redacted


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """Cyrano's own logging set-up at DEBUG, writing into a buffer; the test's handlers come back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def with_openai(settings: Settings, url: str) -> Settings:
    return settings.model_copy(
        update={"openai_api_key": SecretStr(OWN_KEY), "openai_base_url": url, "openai_model": MODEL}
    )


def server(settings: Settings) -> Any:
    return build_server(
        settings.model_copy(update={"local_user_role": "admin"}),  # the probe engine's test:read is admin-only
        sources=[EngineSource("test", probe_engine.ENGINE)],
    )


async def test_prompts_and_identifiers_never_reach_the_logs_even_at_debug(
    settings: Settings, log_stream: io.StringIO, make_gateway: GatewayFactory
) -> None:
    text = f"{PRIVILEGED}: refund card {CARD}"
    async with running("openai") as (fake, url), Client(server(with_openai(settings, url))) as client:
        fake.enqueue(status(401))  # a failure, logged (not retried, so nothing to wait for)
        ok(await client.call_tool("probe_ask", {"text": text}))
        fake.enqueue(answer(f"Echoing you: {PRIVILEGED}"))
        ok(await client.call_tool("probe_ask", {"text": text}))
        fake.enqueue(answer(f"not json, {PRIVILEGED}"), answer(f"still not, {PRIVILEGED}"))
        ok(await client.call_tool("probe_ask", {"text": text, "structured": True}))
        with pytest.raises(ModelOutputError):
            fake.enqueue(answer(PRIVILEGED), answer(PRIVILEGED))
            await make_gateway(vendor_provider("openai", url)).complete(
                LLMRequest(messages=(Message.user(text),)), Verdict
            )

    logged = log_stream.getvalue()
    assert '"event": "llm_call"' in logged  # the calls were logged...
    assert "Hargreaves" not in logged  # ...without the prompt or the answers
    assert identifiers_in(logged) == []
    assert OWN_KEY not in logged


async def test_the_callers_credentials_are_never_forwarded_upstream(settings: Settings) -> None:
    async with running("openai") as (fake, url):
        runtime = Runtime(with_openai(settings, url), sources=[])
        async with serve(build_http_app(runtime), lifespan=True) as cyrano:
            await add_user(runtime, "caller")
            token = (await login(cyrano, "caller"))["access_token"]
            caller_headers = {
                "Authorization": f"Bearer {token}",
                "X-Api-Key": "caller-api-key-must-stay-here",
                "Cookie": "session=caller-cookie-must-stay-here",
            }
            http = httpx2.AsyncClient(headers=caller_headers)
            async with http, Client(streamable_http_client(f"{cyrano}/mcp", http_client=http)) as client:
                report = ok(await client.call_tool("system_llm_check", {}))

    assert report["status"] == "ok"
    received = fake.everything_received()
    assert "must-stay-here" not in received and token not in received
    assert [request.headers["authorization"] for request in fake.requests] == [f"Bearer {OWN_KEY}"]
