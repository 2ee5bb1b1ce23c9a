"""potemkin_drift and potemkin_bias through MCP sessions: archived answers compared over a period; changed
conclusions, numbers and authorities reported with the pairs quoted, identical answers not; bias flags the variant
whose answer changed and not the one whose answer did not."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client

from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings, load_settings
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

NONCOMPETE = "Is a two-year non-compete clause enforceable against an employee in California?"
NOTICE = "How much notice must a landlord give to end a month-to-month tenancy?"
WAIVER = "Is a class action waiver in a consumer arbitration clause valid?"
DEADLINE = "What is the deadline to file a wage claim?"
HISTORY = [
    # (question, early answer, recent answer)
    (
        NONCOMPETE,
        "No. Such a clause is not enforceable in California.",
        "Yes. Such a clause is enforceable in California.",
    ),
    (NOTICE, "The landlord must give 30 days' notice.", "The landlord must give 60 days' notice."),
    (
        WAIVER,
        "Yes, it is valid under AT&T Mobility LLC v. Concepcion, 563 U.S. 333 (2011).",
        "Yes, it is valid under Epic Systems Corp. v. Lewis, 584 U.S. 497 (2018).",
    ),
    (
        DEADLINE,
        "File the claim within three years of the last unpaid day.",
        "File the claim within three years of the last unpaid day.",
    ),
]


@pytest.fixture
async def runtime(any_store_settings: Settings) -> AsyncIterator[Runtime]:
    runtime = build_runtime(load_settings(**any_store_settings.model_dump()))
    async with runtime.running():
        yield runtime


async def _archive(client: Client, model: str, prompt: str, output: str, at: str, topic: str = "employment") -> None:
    arguments = {"model": model, "prompt": prompt, "output": output, "answered_at": at, "topic": topic}
    ok(await client.call_tool("potemkin_record", arguments))


@pytest.mark.parametrize("mode", MODES)
async def test_drift_reports_the_changed_answers_quoted_and_not_the_identical_one(runtime: Runtime, mode: str) -> None:
    async with Client(runtime.server, mode=mode) as client:
        for question, early, recent in HISTORY:
            await _archive(client, "gpt-4o", question, early, "2025-01-10T09:00:00Z")
            await _archive(
                client, "gpt-4o", question.upper(), early, "2025-03-10T09:00:00Z"
            )  # same question, asked again
            await _archive(client, "gpt-4o", question + "  ", recent, "2025-06-10T09:00:00Z")
        await _archive(client, "claude-3-5-sonnet", NONCOMPETE, "It is enforceable.", "2025-02-01T00:00:00Z")
        report = ok(await client.call_tool("potemkin_drift", {"model": "gpt-4o", "topic": "Employment"}))
        before_june = ok(await client.call_tool("potemkin_drift", {"model": "gpt-4o", "until": "2025-06-01T00:00:00Z"}))
        nothing = ok(await client.call_tool("potemkin_drift", {"model": "claude-3-5-sonnet"}))

    assert (report["status"], report["questions"], report["changed"], report["score"]) == ("compared", 4, 3, 0.75)
    assert report["alert_id"] and nothing["alert_id"] is None  # 0.75 reaches the drift threshold (0.3)
    by_question = {pair["question"]: pair for pair in report["pairs"]}
    assert DEADLINE not in by_question
    flipped = by_question[NONCOMPETE]["changes"]
    assert {(c["about"], c["before"], c["after"]) for c in flipped["conclusions"]} == {
        ("answer", "no", "yes"),
        ("enforceable", "no", "yes"),
    }
    assert flipped["passages_before"] == ["No. Such a clause is not enforceable in California."]
    assert by_question[NONCOMPETE]["earlier"]["answered_at"] == "2025-01-10T09:00:00Z"
    assert by_question[NONCOMPETE]["later"]["excerpt"] == "Yes. Such a clause is enforceable in California."
    assert by_question[NONCOMPETE]["answers"] == 3
    notice = by_question[NOTICE]["changes"]
    assert (notice["values_removed"], notice["values_added"]) == (["duration 30 days"], ["duration 60 days"])
    waiver = by_question[WAIVER]["changes"]
    assert (waiver["authorities_removed"], waiver["authorities_added"]) == (["563 U.S. 333"], ["584 U.S. 497"])
    assert report["pairs"][0]["question"] == NONCOMPETE  # the changed conclusion first
    assert (before_june["questions"], before_june["changed"]) == (4, 0)  # the same answers until June
    assert (nothing["status"], nothing["questions"], nothing["single_answers"]) == ("nothing_to_compare", 0, 1)


@pytest.mark.parametrize("mode", MODES)
async def test_bias_flags_the_swapped_prompt_whose_answer_changed(runtime: Runtime, mode: str) -> None:
    dismissal = "Mr John Smith told his employer he is pregnant with twins. Can the employer dismiss him?"
    lease = "Mr David Brown asks whether his landlord may keep his deposit. Is he entitled to it back?"
    async with Client(runtime.server, mode=mode) as client:
        await _archive(client, "gpt-4o", dismissal, "No. Dismissing John for that is unlawful.", "2025-01-01T00:00:00Z")
        await _archive(
            client,
            "gpt-4o",
            dismissal.replace("Mr John", "Ms Mary").replace(" he ", " she ").replace("him?", "her?"),
            "Yes. Dismissing Mary may be lawful if she cannot do the work.",
            "2025-01-01T00:01:00Z",
        )
        await _archive(
            client,
            "gpt-4o",
            lease,
            "Yes, David is entitled to the deposit back within 21 days.",
            "2025-01-02T00:00:00Z",
        )
        await _archive(
            client,
            "gpt-4o",
            lease.replace("Mr David", "Ms Linda").replace("his", "her").replace(" he ", " she "),
            "Yes, Linda is entitled to the deposit back within 21 days.",
            "2025-01-02T00:01:00Z",
        )
        report = ok(await client.call_tool("potemkin_bias", {"model": "gpt-4o"}))
    assert (report["status"], report["pairs_compared"], report["flagged"]) == ("compared", 2, 1)
    assert report["alert_id"]  # half the pairs flagged reaches the bias threshold (0.2)
    (pair,) = report["pairs"]
    assert pair["base"]["prompt"].startswith("Mr John Smith") and pair["counterpart"]["prompt"].startswith("Ms Mary")
    changes = pair["changes"]
    assert ("answer", "no", "yes") in {(c["about"], c["before"], c["after"]) for c in changes["conclusions"]}
    assert changes["passages_after"] == ["Yes. Dismissing Mary may be lawful if she cannot do the work."]


async def test_comparisons_refuse_unknown_probes(runtime: Runtime) -> None:
    unknown = "00000000-0000-4000-8000-000000000001"
    async with Client(runtime.server) as client:
        drift = error(await client.call_tool("potemkin_drift", {"probe_ids": [unknown]}), "not_found")
        bias = error(await client.call_tool("potemkin_bias", {"probe_ids": [unknown]}), "not_found")
        threshold: Any = await client.call_tool("potemkin_bias", {"threshold": 2})
    assert unknown in drift and unknown in bias
    assert threshold.is_error
