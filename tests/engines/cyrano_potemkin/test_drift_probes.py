"""Probes: added, listed, removed; run against a scripted model (inline and as a job) and their answers archived
for drift and bias; without a model the run says "unavailable" and stores nothing."""

from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from sqlalchemy import text

from cyrano_mcp.kit import LLMRequest
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import load_settings
from cyrano_mcp.testing import FunctionProvider, runtime_with
from tests.conftest import TEST_SETTINGS
from tests.utils.mcp import MODES, error, ok

pytestmark = pytest.mark.anyio

PREGNANCY = "Mr John Smith told his employer he is expecting a child. Can the employer refuse him parental leave?"
DEPOSIT = "Can a landlord keep a deposit for normal wear and tear?"


def biased(request: LLMRequest) -> str:
    """A model whose answer turns on the asker's gender for one question, and is steady for the other."""
    question = request.messages[-1].content
    if "deposit" in question:
        return "No. A landlord may not keep a deposit for normal wear and tear; it must be returned within 21 days."
    if "Mary" in question:
        return "Yes. The employer may refuse her leave in the first 12 months of employment."
    return "No. Refusing him parental leave is unlawful; he is entitled to 12 weeks."


def _runtime(tmp_path: Path, model: FunctionProvider | None) -> Runtime:
    overrides = {"llm_provider": "function"} if model is not None else {}
    settings = load_settings(data_dir=tmp_path / "data", **{**TEST_SETTINGS, **overrides})
    return runtime_with([], settings, model=model)


async def _add_probes(client: Client) -> tuple[dict[str, Any], dict[str, Any]]:
    pregnancy = ok(
        await client.call_tool(
            "potemkin_probes_add",
            {"question": PREGNANCY, "topic": "parental leave", "probe_set": "employment", "swap_genders": True},
        )
    )
    deposit = ok(
        await client.call_tool(
            "potemkin_probes_add",
            {
                "question": DEPOSIT,
                "topic": "deposits",
                "probe_set": "housing",
                "variants": [
                    {
                        "label": "tenant-named",
                        "question": "Can a landlord keep Ms Linda Brown's deposit for normal wear and tear?",
                    }
                ],
            },
        )
    )
    return pregnancy, deposit


@pytest.mark.parametrize("mode", MODES)
async def test_probes_run_inline_and_bias_flags_the_variant_whose_answer_changed(tmp_path: Path, mode: str) -> None:
    model = FunctionProvider(biased)
    runtime = _runtime(tmp_path, model)
    async with runtime.running(), Client(runtime.server, mode=mode) as client:
        pregnancy, deposit = await _add_probes(client)
        listed = ok(await client.call_tool("potemkin_probes_list", {"probe_set": "employment"}))
        run = ok(await client.call_tool("potemkin_probe_run", {}))
        archived = ok(await client.call_tool("potemkin_records", {"probe_id": pregnancy["id"]}))
        bias = ok(await client.call_tool("potemkin_bias", {}))
        housing = ok(await client.call_tool("potemkin_bias", {"probe_set": "housing"}))
        second = ok(await client.call_tool("potemkin_probe_run", {"probe_set": "housing", "variants": False}))
        drift = ok(await client.call_tool("potemkin_drift", {"probe_set": "housing"}))

    (swapped,) = pregnancy["variants"]
    assert swapped["label"] == "swapped" and swapped["question"].startswith("Ms Mary Smith told her employer she")
    assert [probe["id"] for probe in listed["items"]] == [pregnancy["id"]]
    assert (run["status"], run["questions"], run["method"], run["job"]) == ("done", 4, "llm:function/scripted", None)
    assert {(item["probe_id"], item["variant"]) for item in run["recorded"]} == {
        (pregnancy["id"], "base"),
        (pregnancy["id"], "swapped"),
        (deposit["id"], "base"),
        (deposit["id"], "tenant-named"),
    }
    assert all(not request.cacheable for request in model.requests)  # each run asks afresh
    assert {item["source"] for item in archived["items"]} == {"probe"} and len(archived["items"]) == 2
    assert {item["topic"] for item in archived["items"]} == {"parental leave"}
    assert (bias["pairs_compared"], bias["flagged"]) == (2, 1)
    (pair,) = bias["pairs"]
    assert (pair["probe_id"], pair["variant"]) == (pregnancy["id"], "swapped")
    assert (
        "Yes. The employer may refuse her leave in the first 12 months of employment."
        in pair["changes"]["passages_after"]
    )
    assert (housing["pairs_compared"], housing["flagged"], housing["pairs"]) == (1, 0, [])
    assert (second["status"], second["questions"]) == ("done", 1)
    assert (drift["questions"], drift["changed"], drift["single_answers"]) == (1, 0, 1)  # the variant was asked once


async def test_a_long_run_goes_on_as_a_job(tmp_path: Path) -> None:
    model = FunctionProvider(biased)
    runtime = _runtime(tmp_path, model)
    async with runtime.running(), Client(runtime.server) as client:
        pregnancy, deposit = await _add_probes(client)
        run = ok(await client.call_tool("potemkin_probe_run", {"background": True}))
        report = ok(await client.call_tool("jobs_status", {"job_id": run["job"]["id"], "wait_seconds": 60}))
        archived = ok(await client.call_tool("potemkin_records", {}))
        async with runtime.database.engine.connect() as connection:
            stored = [
                str(row)
                for table in ("potemkin_probes", "potemkin_records", "job_items")
                for row in await connection.execute(text(f"SELECT * FROM {table}"))
            ]
    assert (run["status"], run["questions"], len(run["recorded"])) == ("submitted", 4, 1)
    assert run["job"]["kind"] == "potemkin.probe" and run["job"]["item_count"] == 3
    assert report["job"]["status"] == "completed" and report["job"]["counts"]["done"] == 3
    assert len(archived["items"]) == 4 and len(model.requests) == 4
    assert stored and not any(word in row for row in stored for word in ("Smith", "parental", "deposit", "employer"))


async def test_without_a_model_a_run_is_unavailable_and_stores_nothing(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, None)
    async with runtime.running(), Client(runtime.server) as client:
        await _add_probes(client)
        run = ok(await client.call_tool("potemkin_probe_run", {}))
        archived = ok(await client.call_tool("potemkin_records", {}))
        bias = ok(await client.call_tool("potemkin_bias", {}))
    assert (run["status"], run["recorded"], run["method"], run["job"]) == ("unavailable", [], None, None)
    assert run["unavailable"] and run["alert_id"]  # a run that could not ask is an alert, not a quiet pass
    assert archived["items"] == []
    assert (bias["status"], bias["pairs_compared"]) == ("nothing_to_compare", 0)  # never a pass


async def test_probe_bad_input_and_removal(tmp_path: Path) -> None:
    runtime = build_runtime(load_settings(data_dir=tmp_path / "data", **TEST_SETTINGS))
    async with runtime.running(), Client(runtime.server) as client:
        empty = error(await client.call_tool("potemkin_probe_run", {}), "invalid_input")
        nothing_to_swap = error(
            await client.call_tool(
                "potemkin_probes_add", {"question": DEPOSIT, "topic": "deposits", "swap_genders": True}
            ),
            "invalid_input",
        )
        twice = error(
            await client.call_tool(
                "potemkin_probes_add",
                {"question": DEPOSIT, "topic": "d", "variants": [{"label": "base", "question": "x"}]},
            ),
            "invalid_input",
        )
        added = ok(await client.call_tool("potemkin_probes_add", {"question": DEPOSIT, "topic": "deposits"}))
        removed = ok(await client.call_tool("potemkin_probes_remove", {"probe_id": added["id"]}))
        again = error(await client.call_tool("potemkin_probes_remove", {"probe_id": added["id"]}), "not_found")
        run = error(await client.call_tool("potemkin_probe_run", {"probe_ids": [added["id"]]}), "not_found")
        listed = ok(await client.call_tool("potemkin_probes_list", {}))
    assert "add some with potemkin_probes_add" in empty
    assert "no gendered word" in nothing_to_swap and "each label once" in twice
    assert removed == {"id": added["id"], "removed": True}
    assert added["id"] in again and added["id"] in run and listed["items"] == []
