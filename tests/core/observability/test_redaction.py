"""Planted secrets and client text never reach a log line: any level, structlog or the standard library,
fields, messages, exceptions and tracebacks, nested values, and the current call's own arguments."""

import logging

import pytest
from mcp import Client

from cyrano_mcp.calls import CallContext, bind_call, unbind_call
from cyrano_mcp.observability import redaction
from cyrano_mcp.observability.logging import get_logger
from cyrano_mcp.observability.redaction import REDACTED, redact_text
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import load_settings
from tests.core.observability.conftest import LogLines
from tests.utils.mcp import MODES, error, ok

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlIjoibWNwOnJlYWQifQ.9r4nd0m_S1gnatur3-abcdefghijk"
)
API_KEY = "sk-proj-Q2xpZW50U2VjcmV0S2V5MDEyMzQ1"
ANTHROPIC_KEY = "sk-ant-api03-Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5"
PASSWORD = "Tr0ub4dor&3-hunter2"
DOCUMENT = "CONFIDENTIAL SETTLEMENT TERMS: Harbor Bakery LLC pays Pier 9 Properties $1,250,000 by March 1"
SECRETS = (JWT, API_KEY, ANTHROPIC_KEY, PASSWORD, DOCUMENT)
LEVELS = ["debug", "info", "warning", "error", "critical"]


def assert_clean(output: str) -> None:
    for secret in SECRETS:
        assert secret not in output, f"leaked {secret[:12]}... in:\n{output}"
    # No recognisable piece of them either.
    for fragment in ("9r4nd0m_S1gnatur3", "Q2xpZW50U2VjcmV0", "Zm9vYmFyYmF6", "hunter2", "1,250,000"):
        assert fragment not in output, f"leaked {fragment} in:\n{output}"


@pytest.mark.parametrize("level", LEVELS)
def test_structlog_fields_by_key_name(level: str, log_stream: object, log_lines: LogLines) -> None:
    log = get_logger("tests.redaction")
    getattr(log, level)(
        "login_attempt",
        password=PASSWORD,
        access_token=JWT,
        api_key=API_KEY,
        headers={"Authorization": f"Bearer {JWT}", "Cookie": "session=abc", "accept": "application/json"},
        document_text=DOCUMENT,
        page={"number": 3, "text": DOCUMENT},
        payload=[{"content": DOCUMENT}, {"client_secret": PASSWORD}],
        input_tokens=1234,
        user="alice",
    )
    (line,) = log_lines()
    assert_clean(str(line))
    assert line["password"] == line["access_token"] == line["api_key"] == line["document_text"] == REDACTED
    assert line["headers"] == {"Authorization": REDACTED, "Cookie": REDACTED, "accept": "application/json"}
    assert line["page"] == {"number": 3, "text": REDACTED}
    assert line["input_tokens"] == 1234 and line["user"] == "alice"  # counts and names stay useful


@pytest.mark.parametrize("level", LEVELS)
def test_secrets_inside_messages_by_shape(level: str, log_stream: object, log_lines: LogLines) -> None:
    get_logger("tests.redaction").log(
        logging.getLevelName(level.upper()),
        f"calling the provider with {API_KEY} and {ANTHROPIC_KEY}, Authorization: Bearer {JWT}, password={PASSWORD}",
    )
    logging.getLogger("third.party").log(
        logging.getLevelName(level.upper()),
        "retrying %s with token %s for postgresql://cyrano:%s@db.internal/cyrano",
        API_KEY,
        JWT,
        PASSWORD,
    )
    lines = log_lines()
    assert len(lines) == 2
    assert_clean(str(lines))
    assert "postgresql://cyrano:[redacted]@db.internal/cyrano" in lines[1]["event"]
    assert lines[0]["event"].startswith("calling the provider with [redacted] and [redacted], Authorization: Bearer ")


@pytest.mark.parametrize("level", LEVELS)
def test_stdlib_extra_fields(level: str, log_stream: object, log_lines: LogLines) -> None:
    logging.getLogger("third.party").log(
        logging.getLevelName(level.upper()),
        "request done",
        extra={"password": PASSWORD, "notes": DOCUMENT, "authorization": f"Basic {API_KEY}", "status": 200},
    )
    (line,) = log_lines()
    assert_clean(str(line))
    assert line["status"] == 200


def _fail() -> None:
    raise ValueError(f"login failed: token={JWT} key {API_KEY} password: {PASSWORD}")


def test_exception_messages_and_tracebacks(log_stream: object, log_lines: LogLines) -> None:
    try:
        _fail()
    except ValueError:
        get_logger("tests.redaction").exception("structlog_exception")
        logging.getLogger("third.party").exception("stdlib exception for %s", API_KEY)
        logging.getLogger("third.party").error("stdlib error with exc_info", exc_info=True)
    try:
        try:
            _fail()
        except ValueError as inner:
            raise RuntimeError(f"wrapped {JWT}") from inner
    except RuntimeError:
        get_logger("tests.redaction").critical("chained", exc_info=True)
    lines = log_lines()
    assert len(lines) == 4
    for line in lines:
        assert "Traceback (most recent call last)" in line["exception"]
        assert "ValueError: login failed: token=[redacted]" in line["exception"]
    assert_clean(str(lines))


def test_stack_info_is_redacted(log_stream: object, log_lines: LogLines) -> None:
    token = JWT  # noqa: F841 - a local in the frame whose stack is logged
    logging.getLogger("third.party").warning("where am I, %s", API_KEY, stack_info=True)
    (line,) = log_lines()
    assert "stack" in line or "stack_info" in line
    assert_clean(str(line))


def test_long_free_text_is_replaced_by_its_length(log_stream: object, log_lines: LogLines) -> None:
    page = "The tenant shall pay rent monthly. " * 200
    get_logger("tests.redaction").info("ingested", summary=page)
    logging.getLogger("third.party").info(page)
    lines = log_lines()
    assert lines[0]["summary"] == f"[redacted: {len(page)} characters]"
    assert lines[1]["event"] == f"[redacted: {len(page)} characters]"


def test_the_current_calls_free_text_arguments_are_cut_out_of_everything(
    log_stream: object, log_lines: LogLines
) -> None:
    call = CallContext(tool="chatty_parse", correlation_id="c-1", arguments={"text": DOCUMENT, "matter_id": "m-42"})
    token = bind_call(call)
    try:
        get_logger("tests.redaction").warning("odd", detail=f"while reading {DOCUMENT}", matter="m-42")
        try:
            raise KeyError(DOCUMENT)
        except KeyError:
            logging.getLogger("third.party").exception("lookup failed")
    finally:
        unbind_call(token)
    lines = log_lines()
    assert_clean(str(lines))
    assert lines[0]["detail"] == f"while reading {REDACTED}"
    assert lines[0]["matter"] == "m-42"  # identifiers (no spaces) stay: they are how operators find things


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_a_careless_tool_leaks_nothing_through_a_real_session(
    mode: str, data_dir: object, log_stream: object, log_lines: LogLines
) -> None:
    settings = load_settings(data_dir=data_dir, plugins="tests.fixtures.engines:chatty", local_user_role="admin")
    async with Client(build_runtime(settings).server, mode=mode) as client:
        ok(await client.call_tool("chatty_steps", {"text": DOCUMENT}))
        error(await client.call_tool("chatty_parse", {"text": DOCUMENT}), "internal_error")
        ok(await client.call_tool("chatty_steps", {"text": f"{PASSWORD} {API_KEY}"}))
    lines = log_lines()
    assert any(line.get("outcome") == "internal_error" and "ValueError" in line["exception"] for line in lines)
    assert_clean(str(lines))


def test_redact_text_shapes() -> None:
    cases = {
        f"Bearer {JWT}": f"Bearer {REDACTED}",
        f"key={API_KEY}&x=1": f"key={REDACTED}&x=1",
        "AKIAIOSFODNN7EXAMPLE": REDACTED,
        "ghp_" + "a1B2" * 9: REDACTED,
        "xoxb-1234567890-abcdefghij": REDACTED,
        '{"refresh_token": "r.abc.def"}': '{"refresh_token": "[redacted]"}',
        "redis://:s3cret@cache:6379/0": "redis://:[redacted]@cache:6379/0",
        "matter 2026-0042 for Harbor": "matter 2026-0042 for Harbor",
    }
    for given, expected in cases.items():
        assert redact_text(given) == expected


def test_components_can_register_their_own_key_shape(log_stream: object, log_lines: LogLines) -> None:
    patterns = list(redaction._shapes)
    try:
        redaction.register_secret_pattern(r"\bcyr_[A-Za-z0-9]{20,}")
        get_logger("tests.redaction").info("issued cyr_abcdefghijklmnopqrstuvwx to alice")
    finally:
        redaction._shapes[:] = patterns
    assert log_lines()[0]["event"] == f"issued {REDACTED} to alice"
