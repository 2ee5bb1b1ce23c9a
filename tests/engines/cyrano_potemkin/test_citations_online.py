"""potemkin_citations with the optional online lookup, against a loopback stand-in that speaks CourtListener's
citation-lookup wire format: only the citations are sent, its cases join the check, and a failing service never
fails the check."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

import pytest
from mcp import Client

from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.fakes.asgi import request_body, serve
from tests.utils.mcp import MODES, ok

pytestmark = pytest.mark.anyio

TOKEN = "lookup-token-0123"
TEXT = (
    "The client's position is strong. See Brown v. Board of Education, 347 U.S. 483 (1954); Varghese v. China "
    "Southern Airlines Co., 925 F.3d 1339 (11th Cir. 2019); Roe v. Wade, 358 U.S. 1 (1958). Brown, 347 U.S. at 495."
)
CASES = {  # what the stand-in knows: citation -> (case name, path)
    "347 U.S. 483": ("Brown v. Board of Education", "/opinion/105221/brown-v-board-of-education/"),
    "358 U.S. 1": ("Cooper v. Aaron", "/opinion/106236/cooper-v-aaron/"),
}


class StandIn:
    """CourtListener's citation lookup, as far as the check uses it; `status` makes it fail on purpose."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[tuple[dict[str, str], str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = await request_body(receive)
        self.received.append(({k.decode(): v.decode() for k, v in scope["headers"]}, body.decode()))
        text = parse_qs(body.decode())["text"][0]
        answer = []
        for citation in text.split("; "):
            start = text.index(citation)
            found = CASES.get(citation)
            clusters = [{"case_name": found[0], "absolute_url": found[1], "date_filed": "1958-09-29"}] if found else []
            answer.append({
                "citation": citation, "normalized_citations": [citation], "start_index": start,
                "end_index": start + len(citation), "status": 200 if found else 404,
                "error_message": "" if found else "Citation not found", "clusters": clusters,
            })  # fmt: skip
        payload = json.dumps(answer).encode() if self.status == 200 else b"busy"
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


@asynccontextmanager
async def client_with(base: Settings, stand_in: StandIn, mode: str, **extra: Any) -> AsyncIterator[Client]:
    async with serve(stand_in) as url:
        settings = load_settings(
            **{
                **base.model_dump(),
                "potemkin_citation_lookup_url": f"{url}/api/rest/v4/citation-lookup/",
                "potemkin_citation_lookup_token": TOKEN,
                **extra,
            }
        )
        runtime = build_runtime(settings)
        async with runtime.running(), Client(runtime.server, mode=mode) as client:
            yield client


@pytest.mark.parametrize("mode", MODES)
async def test_the_lookup_finds_real_cases_and_flags_a_citation_it_has_no_case_at(
    any_store_settings: Settings, mode: str
) -> None:
    stand_in = StandIn()
    async with client_with(any_store_settings, stand_in, mode) as client:
        answer = ok(await client.call_tool("potemkin_citations", {"text": TEXT}))
    brown, varghese, roe, short = answer["citations"]
    assert (brown["status"], brown["method"]) == ("found", "online")
    assert brown["found_in"].endswith("/opinion/105221/brown-v-board-of-education/")
    assert (varghese["status"], varghese["detail"]) == ("unverified", "not_found_online")
    assert (roe["detail"], roe["authority_name"]) == ("name_mismatch", "Cooper v. Aaron")
    assert short["status"] == "found" and short["reason"].startswith("refers to citation 1")
    assert answer["problems"] == [2, 3] and answer["summary"]["not_found_online"] == 1
    assert "3 citation(s) looked up at 127.0.0.1" in answer["online"]
    [(headers, body)] = stand_in.received
    assert headers["authorization"] == f"Token {TOKEN}"
    assert parse_qs(body)["text"] == ["347 U.S. 483; 925 F.3d 1339; 358 U.S. 1"]  # the citations, not the text


@pytest.mark.parametrize("mode", MODES)
async def test_a_failing_lookup_leaves_the_offline_answer_and_says_so(any_store_settings: Settings, mode: str) -> None:
    async with client_with(any_store_settings, StandIn(status=503), mode) as client:
        answer = ok(await client.call_tool("potemkin_citations", {"text": TEXT}))
    assert [item["status"] for item in answer["citations"]] == ["unverified"] * 4
    assert answer["online"].startswith("nothing was checked online: 127.0.0.1 could not be asked (it answered 503)")


async def test_the_rate_limit_holds_citations_back_across_calls(any_store_settings: Settings) -> None:
    stand_in = StandIn()
    async with client_with(any_store_settings, stand_in, "auto", potemkin_citation_lookup_per_minute=2) as client:
        first = ok(await client.call_tool("potemkin_citations", {"text": TEXT}))
        second = ok(await client.call_tool("potemkin_citations", {"text": TEXT}))
    assert "2 citation(s) looked up" in first["online"] and "1 not, over the limit of 2 a minute" in first["online"]
    assert "2 citation(s) as 127.0.0.1 answered in the last minutes" in second["online"]
    assert "the limit of 2 citations a minute sent to 127.0.0.1 is reached" in second["online"]
    assert [item["status"] for item in second["citations"]] == [item["status"] for item in first["citations"]]
    assert len(stand_in.received) == 1
