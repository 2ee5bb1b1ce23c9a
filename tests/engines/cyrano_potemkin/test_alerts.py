"""Alerts: a contradiction found by potemkin_verify becomes a stored alert, a log notification to the client and
a signed webhook (retried until taken); alerts are listed, acknowledged with a sealed reason, and thresholds set."""

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp_types import LoggingMessageNotificationParams
from sqlalchemy import text

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.engines.cyrano_potemkin.test_verify_tool import SUMMARY, _matter_with_licence
from tests.fakes.asgi import request_body, serve
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

SECRET = "webhook-secret-0123456789"
REASON = "Corrected the date in the draft before sending it to Marlow & Finch"


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(load_settings(**any_store_settings.model_dump()))
    async with runtime.running():
        yield runtime


@pytest.mark.parametrize("mode", MODES)
async def test_a_contradiction_raises_an_alert_that_is_notified_listed_and_acknowledged(
    runtime: Runtime, mode: str
) -> None:
    notices: list[Any] = []

    async def on_log(params: LoggingMessageNotificationParams) -> None:
        notices.append(params.data)

    async with Client(runtime.server, mode=mode, log_level="info", logging_callback=on_log) as client:
        matter, _ = await _matter_with_licence(client)
        checked = ok(await client.call_tool("potemkin_verify", {"text": SUMMARY, "matter_id": matter}))
        again = ok(await client.call_tool("potemkin_verify", {"text": SUMMARY, "matter_id": matter}))
        listed = ok(await client.call_tool("potemkin_alerts", {}))
        acked = ok(await client.call_tool("potemkin_alert_ack", {"alert_id": checked["alert_id"], "reason": REASON}))
        twice = await client.call_tool("potemkin_alert_ack", {"alert_id": checked["alert_id"], "reason": "again"})
        after = ok(await client.call_tool("potemkin_alerts", {}))
        history = ok(await client.call_tool("potemkin_alerts", {"status": "acknowledged"}))

    assert checked["alert_id"] and again["alert_id"] is None  # the same result is not alerted twice
    (alert,) = listed["alerts"]
    assert alert["id"] == checked["alert_id"] and alert["status"] == "open" and listed["open"] == 1
    assert (alert["check"], alert["outcome"], alert["value"], alert["threshold"]) == ("verify", "breach", 1, 1)
    assert alert["subject"] == f"matter {matter}" and alert["summary"] == "1 of 8 claims contradicted by the sources"
    assert alert["webhook"] == "off"
    assert acked["status"] == "acknowledged" and acked["reason"] == REASON
    assert "was acknowledged" in error(twice, "conflict")
    assert after["alerts"] == [] and after["open"] == 0
    assert [item["id"] for item in history["alerts"]] == [checked["alert_id"]]
    (notice,) = [item for item in notices if isinstance(item, dict) and item.get("event") == "potemkin_alert"]
    assert notice["alert_id"] == checked["alert_id"] and notice["check"] == "verify"
    assert "2006" not in json.dumps(notice)  # ids and counts only: nothing from the documents


async def test_the_acknowledgement_reason_is_sealed_at_rest(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        alert_id = ok(await client.call_tool("potemkin_verify", {"text": SUMMARY, "matter_id": matter}))["alert_id"]
        ok(await client.call_tool("potemkin_alert_ack", {"alert_id": alert_id, "reason": REASON}))
    async with runtime.database.session() as session:
        stored = (await session.exec(text("SELECT ack_reason FROM potemkin_alerts"))).one()[0]  # type: ignore[call-overload]
    assert REASON not in stored and "Marlow" not in stored


async def test_a_threshold_holds_back_smaller_results_and_unknown_alerts_are_not_found(runtime: Runtime) -> None:
    async with Client(runtime.server) as client:
        matter, _ = await _matter_with_licence(client)
        set_to = ok(await client.call_tool("potemkin_alert_threshold", {"check": "verify", "threshold": 2}))
        checked = ok(await client.call_tool("potemkin_verify", {"text": SUMMARY, "matter_id": matter}))
        listed = ok(await client.call_tool("potemkin_alerts", {"status": None}))
        unknown = await client.call_tool("potemkin_alert_ack", {"alert_id": "nope", "reason": "x"})
    assert set_to == {"check": "verify", "threshold": 2.0, "measures": set_to["measures"], "default": False}
    assert checked["summary"]["contradicted"] == 1 and checked["alert_id"] is None
    assert listed["alerts"] == []
    verify = next(item for item in listed["thresholds"] if item["check"] == "verify")
    assert verify["threshold"] == 2 and verify["default"] is False
    error(unknown, "not_found")


async def test_a_webhook_gets_the_alert_signed_and_retried_until_it_is_taken(any_store_settings: Settings) -> None:
    received: list[tuple[dict[str, str], bytes]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = await request_body(receive)
        received.append(({k.decode(): v.decode() for k, v in scope["headers"]}, body))
        status = 503 if len(received) == 1 else 204  # down once, then up
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async with serve(app) as url:
        settings = load_settings(
            **{
                **any_store_settings.model_dump(),
                "potemkin_alert_webhook_url": f"{url}/hooks/cyrano",
                "potemkin_alert_webhook_secret": SECRET,
                "job_retry_base_seconds": 0.05,
                "job_poll_seconds": 0.05,
            }
        )
        runtime = build_runtime(settings)
        async with runtime.running(), Client(runtime.server) as client:
            matter, _ = await _matter_with_licence(client)
            alert_id = ok(await client.call_tool("potemkin_verify", {"text": SUMMARY, "matter_id": matter}))["alert_id"]
            with anyio.fail_after(20):
                while True:
                    listed = ok(await client.call_tool("potemkin_alerts", {}))
                    if listed["alerts"][0]["webhook"] == "delivered":
                        break
                    await anyio.sleep(0.05)

    assert len(received) == 2
    headers, body = received[-1]
    expected = hmac.new(SECRET.encode(), headers["x-cyrano-timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["x-cyrano-signature"] == f"sha256={expected.hexdigest()}"
    sent = json.loads(body)
    assert sent["id"] == alert_id == headers["x-cyrano-alert"] and sent["check"] == "verify"
    assert SECRET not in body.decode() and "2006" not in body.decode()


async def test_a_webhook_without_a_secret_stops_start_up(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="potemkin_alert_webhook_secret"):
        build_runtime(load_settings(**{**settings.model_dump(), "potemkin_alert_webhook_url": "https://hooks.example"}))
