"""The alert rules and the Grafana dashboard only name metrics that Cyrano exports, and parse."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings
from tests.utils.mcp import ok
from tests.utils.metrics import exported_names

pytestmark = pytest.mark.anyio
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
# Series Prometheus makes itself, not the target.
PROMETHEUS_OWN = {"up"}
_KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "inf", "nan"}


def metric_names(expression: str) -> set[str]:
    """The metric names in a PromQL expression (enough PromQL for rules and dashboards, not a parser)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)  # strings
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers (and Grafana's $variables in them)
    text = re.sub(r"\[[^\]]*\]", "", text)  # range selectors
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)  # label lists
    names = set(re.findall(r"(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", text))
    return names - _KEYWORDS


def test_the_promql_name_finder() -> None:
    expression = (
        'histogram_quantile(0.95, sum by (tool, le) (rate(cyrano_tool_call_duration_seconds_bucket{tool=~"a|b"}[5m])))'
        " > 2 and on (instance) up == 1"
    )
    assert metric_names(expression) == {"cyrano_tool_call_duration_seconds_bucket", "up"}


@pytest.fixture
async def exported(settings: Settings) -> set[str]:
    async with Client(build_runtime(settings).server) as client:  # an open store, so pool gauges have samples
        ok(await client.call_tool("system_info", {}))
        return exported_names()


def _rules() -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read the alert rules (dev dependency)")
    document = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def test_alert_rules_are_well_formed() -> None:
    rules = _rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    assert {
        "CyranoHighErrorRate",
        "CyranoSlowTools",
        "CyranoMemoryHigh",
        "CyranoDataDiskLow",
        "CyranoLLMCircuitOpen",
    } <= set(names)
    for rule in rules:
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["runbook"].startswith("docs/operations.md#")
        assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]
    severity = {rule["alert"]: rule["labels"]["severity"] for rule in rules}
    assert severity["CyranoHighErrorRate"] == severity["CyranoDataDiskLow"] == "critical"
    assert severity["CyranoSlowTools"] == severity["CyranoMemoryHigh"] == severity["CyranoLLMCircuitOpen"] == "warning"


async def test_every_metric_an_alert_names_is_exported(exported: set[str]) -> None:
    for rule in _rules():
        unknown = metric_names(rule["expr"]) - exported - PROMETHEUS_OWN
        assert not unknown, f"{rule['alert']} names metrics Cyrano does not export: {unknown}"


def test_the_runbook_anchors_exist() -> None:
    operations = (DEPLOY.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", operations, re.MULTILINE)
    }
    for rule in _rules():
        assert rule["annotations"]["runbook"].split("#", 1)[1] in anchors, rule["alert"]


async def test_the_dashboard_parses_and_names_only_exported_metrics(exported: set[str]) -> None:
    dashboard = json.loads((DEPLOY / "grafana" / "cyrano.json").read_text(encoding="utf-8"))
    assert dashboard["uid"] and dashboard["title"] == "Cyrano"
    variables = {variable["name"] for variable in dashboard["templating"]["list"]}
    assert variables == {"datasource", "instance"}
    panels = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
    assert len({panel["title"] for panel in panels}) == len(panels)
    named: set[str] = set()
    for panel in panels:
        assert panel["datasource"]["uid"] == "${datasource}" and panel["targets"], panel["title"]
        for target in panel["targets"]:
            names = metric_names(target["expr"])
            assert names and not names - exported, f"{panel['title']}: {names - exported}"
            named |= names
    # The dashboard shows what the alerts watch.
    assert {
        "cyrano_tool_calls_total",
        "cyrano_tool_call_duration_seconds_bucket",
        "process_resident_memory_bytes",
        "cyrano_memory_limit_bytes",
        "cyrano_data_dir_free_bytes",
        "cyrano_llm_circuit_open",
    } <= named
