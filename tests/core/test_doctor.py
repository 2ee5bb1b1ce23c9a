"""`cyrano-mcp doctor`: each model provider's status, configured and reachable or not."""

import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from cyrano_mcp.doctor import run_doctor
from tests.fakes.models import running

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _keep_test_logging() -> Iterator[None]:
    """The doctor sets up Cyrano's logging on stderr; give the root logger back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.setenv("CYRANO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CYRANO_OPENAI_MODEL", "test-model")
    return monkeypatch


async def test_without_keys_the_vendors_are_missing_but_nothing_fails(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await run_doctor()

    out = capsys.readouterr().out
    assert code == 0
    assert "[OK     ] models: CYRANO_LLM_PROVIDER=auto: tries openai -> anthropic -> sampling -> offline" in out
    assert "[MISSING] model openai: OPENAI_API_KEY is not set (optional" in out
    assert "[MISSING] model anthropic: ANTHROPIC_API_KEY is not set (optional" in out
    assert "[OK     ] model sampling: used inside tool calls from clients that declare sampling" in out
    assert "[OK     ] model offline: always there" in out


async def test_a_configured_vendor_is_probed_without_sending_a_prompt(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with running("openai") as (fake, url):
        environment.setenv("OPENAI_API_KEY", "sk-doctor-test")
        environment.setenv("OPENAI_BASE_URL", url)
        code = await run_doctor()

    out = capsys.readouterr().out
    assert code == 0
    assert "[OK     ] model openai: test-model: reachable (" in out
    assert [(r.method, r.path) for r in fake.received] == [("GET", "/v1/models")]
    assert "sk-doctor-test" not in out


async def test_a_refused_key_or_an_unreachable_vendor_fails(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    async with running("anthropic") as (fake, url):
        fake.models_status = 401
        environment.setenv("ANTHROPIC_API_KEY", "sk-ant-doctor-test")
        environment.setenv("ANTHROPIC_BASE_URL", url)
        environment.setenv("OPENAI_API_KEY", "sk-doctor-test")
        environment.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
        code = await run_doctor()

    out = capsys.readouterr().out
    assert code == 1
    assert "[FAILED ] model openai: test-model: unreachable (APIConnectionError); check OPENAI_API_KEY" in out
    assert "[FAILED ] model anthropic: claude-haiku-4-5: reachable, but the key was refused (HTTP 401)" in out
    assert "2 check(s) failed" in out


async def test_choosing_a_vendor_without_its_key_fails(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("CYRANO_LLM_PROVIDER", "anthropic")

    code = await run_doctor()

    out = capsys.readouterr().out
    assert code == 1
    assert "tries anthropic -> offline" in out
    assert "[FAILED ] model anthropic: CYRANO_LLM_PROVIDER=anthropic, but ANTHROPIC_API_KEY is not set" in out


async def test_without_allowed_folders_the_doctor_warns_that_nothing_can_be_ingested_by_path(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.delenv("CYRANO_ALLOWED_ROOTS", raising=False)
    code = await run_doctor()
    out = capsys.readouterr().out
    assert code == 0
    (line,) = [line for line in out.splitlines() if "] allowed folders:" in line]
    assert line.startswith(
        "[WARNING] allowed folders: CYRANO_ALLOWED_ROOTS is empty, so nothing can be ingested by path"
    )
    assert "`cyrano-mcp client-config --install --allow FOLDER`" in line


async def test_each_allowed_folder_is_checked(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "closed").mkdir(mode=0)
    folders = ["inbox", "missing", "a-file", "closed"]
    environment.setenv("CYRANO_ALLOWED_ROOTS", ",".join(str(tmp_path / name) for name in folders))
    code = await run_doctor()
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "] allowed folders:" in line]
    assert lines[0] == f"[OK     ] allowed folders: {tmp_path / 'inbox'} (readable)"
    assert lines[1].startswith(f"[FAILED ] allowed folders: {tmp_path / 'missing'} does not exist (create it: `mkdir")
    assert lines[2].startswith(f"[FAILED ] allowed folders: {tmp_path / 'a-file'} is not a folder")
    if os.geteuid() != 0:  # root reads every folder
        assert lines[3].startswith(f"[FAILED ] allowed folders: {tmp_path / 'closed'} cannot be read by this account")
    assert code == 1
