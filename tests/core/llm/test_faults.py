"""What Cyrano does when a vendor API misbehaves, against each vendor's fake through its real SDK."""

import socket
import time

import pytest

from cyrano_mcp.kit import LLMRequest, Message, ModelOutputError, ModelUnavailableError
from cyrano_mcp.store.database import Database
from tests.core.llm.conftest import GatewayFactory, Upstream, Verdict, ledger_rows, vendor_provider
from tests.fakes.models import answer, garbage, hang, status
from tests.utils.timing import ManualClock, Naps

pytestmark = pytest.mark.anyio

ASK = LLMRequest(messages=(Message.user("Is clause 4 an indemnity?"),))
VALID = {"verdict": "indemnity", "confidence": 0.9}


async def test_a_rate_limit_is_retried_after_the_wait_the_vendor_asks_for(
    upstream: Upstream, make_gateway: GatewayFactory
) -> None:
    naps = Naps()
    gateway = make_gateway(upstream.provider(), naps=naps)
    upstream.fake.enqueue(status(429, retry_after="7"), answer("yes"))

    completion = await gateway.complete(ASK)

    assert completion.output == "yes"
    assert completion.attempts == 2
    assert naps.waits == [7.0]  # the backoff alone would be at most 0.5 s
    assert len(upstream.fake.requests) == 2


async def test_a_retry_after_longer_than_the_budget_fails_at_once(
    upstream: Upstream, store: Database, make_gateway: GatewayFactory
) -> None:
    naps = Naps()
    gateway = make_gateway(upstream.provider(), selection=upstream.vendor, naps=naps, database=store, budget_seconds=5)
    upstream.fake.enqueue(status(429, retry_after="60"))

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)

    assert naps.waits == []
    assert len(upstream.fake.requests) == 1
    assert "rate limited (HTTP 429)" in caught.value.reasons[upstream.vendor]
    assert [(row.provider, row.outcome) for row in await ledger_rows(store)] == [
        (upstream.vendor, "rate_limited"),
        ("offline", "unavailable"),
    ]


async def test_server_errors_are_retried_with_growing_jittered_waits(
    upstream: Upstream, make_gateway: GatewayFactory
) -> None:
    naps = Naps()
    gateway = make_gateway(upstream.provider(), naps=naps)
    upstream.fake.enqueue(status(500), status(503), answer("yes"))

    completion = await gateway.complete(ASK)

    assert completion.attempts == 3
    assert len(naps.waits) == 2
    assert 0 <= naps.waits[0] <= 0.5
    assert 0 <= naps.waits[1] <= 1.0


async def test_server_errors_stop_after_the_last_attempt(
    upstream: Upstream, store: Database, make_gateway: GatewayFactory
) -> None:
    gateway = make_gateway(upstream.provider(), selection=upstream.vendor, database=store, max_attempts=3)
    upstream.fake.default = status(500)

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)

    assert caught.value.code == "model_unavailable"
    assert caught.value.reasons[upstream.vendor] == "server error (HTTP 500) after 3 attempts"
    assert len(upstream.fake.requests) == 3
    failed = (await ledger_rows(store))[0]
    assert (failed.outcome, failed.attempts) == ("server_error", 3)


async def test_a_hung_request_times_out_and_the_retry_answers(upstream: Upstream, make_gateway: GatewayFactory) -> None:
    gateway = make_gateway(upstream.provider(), timeout=0.2)
    upstream.fake.enqueue(hang(10), answer("yes"))
    started = time.perf_counter()

    completion = await gateway.complete(ASK)

    assert completion.output == "yes"
    assert completion.attempts == 2
    assert time.perf_counter() - started < 2


async def test_a_vendor_that_keeps_hanging_is_given_up_on_within_the_budget(
    upstream: Upstream, make_gateway: GatewayFactory
) -> None:
    gateway = make_gateway(upstream.provider(), selection=upstream.vendor, timeout=0.2, budget_seconds=0.5)
    upstream.fake.default = hang(10)
    started = time.perf_counter()

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)

    assert time.perf_counter() - started < 1.5
    assert "no answer within" in caught.value.reasons[upstream.vendor]


async def test_a_garbled_response_body_is_retried(upstream: Upstream, make_gateway: GatewayFactory) -> None:
    gateway = make_gateway(upstream.provider())
    upstream.fake.enqueue(garbage(), answer("yes"))

    completion = await gateway.complete(ASK)

    assert (completion.output, completion.attempts) == ("yes", 2)


async def test_a_rejected_request_is_not_retried(upstream: Upstream, make_gateway: GatewayFactory) -> None:
    naps = Naps()
    gateway = make_gateway(upstream.provider(), selection=upstream.vendor, naps=naps)
    upstream.fake.enqueue(status(401))

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)

    assert caught.value.reasons[upstream.vendor] == "the request was refused (HTTP 401)"
    assert len(upstream.fake.requests) == 1
    assert naps.waits == []


async def test_an_unreachable_vendor_counts_as_a_connection_failure(make_gateway: GatewayFactory) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    gateway = make_gateway(vendor_provider("openai", f"http://127.0.0.1:{port}/v1"), selection="openai")

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)

    assert caught.value.reasons["openai"] == "could not connect after 3 attempts"


async def test_malformed_json_gets_one_repair_turn(upstream: Upstream, make_gateway: GatewayFactory) -> None:
    gateway = make_gateway(upstream.provider())
    upstream.fake.enqueue(answer('{"verdict": "indemnity", '), answer(structured=VALID))

    completion = await gateway.complete(ASK, Verdict)

    assert completion.output == Verdict(verdict="indemnity", confidence=0.9)
    assert completion.repaired
    repair = upstream.fake.requests[1].body["messages"]
    assert repair[-2] == {"role": "assistant", "content": '{"verdict": "indemnity", '}
    assert repair[-1]["role"] == "user"
    assert "not valid (answer: Invalid JSON" in repair[-1]["content"]


async def test_an_answer_that_fails_the_schema_twice_is_a_typed_error(
    upstream: Upstream, store: Database, make_gateway: GatewayFactory
) -> None:
    gateway = make_gateway(upstream.provider(), database=store)
    upstream.fake.enqueue(
        answer(structured={"verdict": "indemnity"}), answer(structured={"verdict": "x", "confidence": "high"})
    )

    with pytest.raises(ModelOutputError) as caught:
        await gateway.complete(ASK, Verdict)

    assert caught.value.code == "model_output_invalid"
    assert "confidence: Input should be a valid number" in caught.value.message
    assert "high" not in caught.value.message  # the rejected value is the model's, and may quote the client
    assert len(upstream.fake.requests) == 2
    first_repair = upstream.fake.requests[1].body["messages"][-1]["content"]
    assert "confidence: Field required" in first_repair
    row = (await ledger_rows(store))[0]
    assert (row.outcome, row.attempts, row.repaired) == ("invalid_output", 2, True)


async def test_an_outage_opens_the_circuit_so_later_calls_fail_fast(
    upstream: Upstream, store: Database, make_gateway: GatewayFactory
) -> None:
    clock = ManualClock()
    gateway = make_gateway(
        upstream.provider(),
        selection=upstream.vendor,
        database=store,
        max_attempts=3,
        breaker_threshold=3,
        breaker_cooldown=30,
        clock=clock,
    )
    upstream.fake.default = status(503)
    with pytest.raises(ModelUnavailableError):
        await gateway.complete(ASK)
    assert len(upstream.fake.requests) == 3

    with pytest.raises(ModelUnavailableError) as caught:
        await gateway.complete(ASK)
    assert caught.value.reasons[upstream.vendor] == "circuit open after repeated failures"
    assert len(upstream.fake.requests) == 3  # the second call never left the machine
    assert [status.circuit for status in gateway.statuses()][0] == "open"

    clock.now += 31
    upstream.fake.default = answer("back")
    completion = await gateway.complete(ASK)
    assert completion.output == "back"
    assert [status.circuit for status in gateway.statuses()][0] == "closed"
    outcomes = [row.outcome for row in await ledger_rows(store) if row.provider == upstream.vendor]
    assert outcomes == ["server_error", "circuit_open", "ok"]
