"""bench/cpu_profile.py charges each py-spy sample to the innermost frame's component, libraries to their caller."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import cpu_profile  # noqa: E402

LOOP = "BaseEventLoop._run_once (asyncio/base_events.py:1922);Handle._run (asyncio/events.py:80)"
GATE = "RequestGate.__call__ (cyrano_mcp/security/http.py:152)"
STARLETTE = "ExceptionMiddleware.__call__ (starlette/middleware/exceptions.py:63)"


def test_library_time_goes_to_its_caller_and_wrapped_apps_to_themselves() -> None:
    raw = "\n".join(
        [
            f"{LOOP};{GATE};{STARLETTE};BaseModel.model_validate (pydantic/main.py:596) 7",  # Starlette's
            f"{LOOP};{GATE};rpc_methods (cyrano_mcp/security/http_body.py:120);loads (json/__init__.py:346) 3",
            f"{LOOP};{GATE};RequestGate._authenticate (cyrano_mcp/security/http.py:170) 2",
            f"{LOOP};AuditLog.flush (cyrano_mcp/security/audit.py:200);_mac (cyrano_mcp/security/audit.py:80) 5",
            "Thread._bootstrap (threading.py:995);_worker (concurrent/futures/thread.py:83) 11",  # not the loop
            "main (<string>:1);dumps (json/__init__.py:231) 1",
        ]
    )
    charged = cpu_profile.attribute(raw)
    assert charged == {
        "Starlette, uvicorn, h11": 7,
        "request gate (body, URL, size)": 3,
        "bearer tokens, account checks": 2,
        "audit log": 5,
        cpu_profile.UNATTRIBUTED: 1,
    }


def test_shares_scale_to_the_measured_cpu_per_call() -> None:
    charged = cpu_profile.attribute(f"{LOOP};{GATE} 1\n{LOOP} 3")
    profile = cpu_profile.Profile(charged, calls=10, cpu_us_per_call=800)
    assert profile.us_per_call("request gate (body, URL, size)") == 200
    assert profile.us_per_call("event loop, anyio") == 600
