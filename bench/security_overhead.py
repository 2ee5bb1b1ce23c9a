"""What security costs: Argon2id hashing, the call path's interceptors per tool call, the audit log's routine
records, and bearer tokens over HTTP compared with the no-auth development switch.

    python bench/security_overhead.py [--calls 300]

Runs against throw-away SQLite stores; prints medians in milliseconds.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import anyio
import httpx2
import uvicorn
from mcp import Client
from servers import listening_socket

from cyrano_mcp.http import build_http_app
from cyrano_mcp.observability.logging import configure_logging
from cyrano_mcp.principal import Role
from cyrano_mcp.security.audit import Actor
from cyrano_mcp.security.passwords import Passwords
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings, load_settings


async def argon2(settings: Settings, rounds: int = 10) -> tuple[float, float]:
    passwords = Passwords(settings)
    hashes, verifies = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        stored = await passwords.hash("correct horse battery staple")
        hashes.append(time.perf_counter() - started)
        started = time.perf_counter()
        await passwords.verify(stored, "correct horse battery staple")
        verifies.append(time.perf_counter() - started)
    return statistics.median(hashes) * 1000, statistics.median(verifies) * 1000


async def calls(settings: Settings, count: int, *, secured: bool) -> float:
    runtime = build_runtime(settings)
    if not secured:
        runtime.registry.call_path.interceptors.clear()
    timings = []
    async with Client(runtime.server) as client:
        for _ in range(20):  # warm up (the local account is made on the first call)
            await client.call_tool("system_info", {})
        for _ in range(count):
            started = time.perf_counter()
            await client.call_tool("system_info", {})
            timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


async def steps(settings: Settings, count: int) -> dict[str, float]:
    runtime = build_runtime(settings)
    security = runtime.security
    results: dict[str, list[float]] = {"audit append": [], "local principal": [], "rate limit": [], "token check": []}
    async with runtime.running():
        await security.accounts.add("bench", Role.VIEWER, "correct horse battery staple", by=Actor("bench"))
        pair = await security.auth.login("bench", "correct horse battery staple", source="bench")
        for _ in range(count):
            for name, step in (
                ("audit append", lambda: security.audit.append("bench", actor=Actor("bench"), outcome="ok")),
                ("local principal", security.accounts.local_principal),
                ("rate limit", lambda: security.limiter.hit("user", "bench")),
                ("token check", lambda: security.tokens.verify_access(pair.access_token)),
            ):
                started = time.perf_counter()
                await step()
                results[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in results.items()}


async def audit_records(settings: Settings, count: int, batch: int = 50) -> float:
    """CPU (all threads) per routine audit record: queued by `record`, chained and written `batch` at a time
    (what 1,000 calls/s leave for each 50 ms background write). In microseconds."""
    runtime = build_runtime(settings)
    async with runtime.running():
        audit = runtime.security.audit
        actor = Actor(name="bench", user_id="0" * 36, role="paralegal")

        async def write(records: int) -> None:
            for index in range(records):
                audit.record(
                    "tool_call",
                    actor=actor,
                    outcome="ok",
                    target="system_info",
                    source="127.0.0.1",
                    correlation_id=f"{index:032x}",
                )
                if index % batch == batch - 1:
                    await audit.flush()
            await audit.flush()

        await write(batch * 4)  # warm: statements compiled, connections open
        started = time.process_time()
        await write(count)
        return (time.process_time() - started) / count * 1e6


async def http(settings: Settings, count: int, *, bearer: bool) -> float:
    """Stateless JSON-response HTTP, one tools/call per request."""
    runtime = build_runtime(settings.model_copy(update={"insecure_http_no_auth": not bearer}))
    sock = listening_socket()  # with TCP_NODELAY on its connections, or every answer waits ~40 ms for an ACK
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(build_http_app(runtime), log_config=None, lifespan="on"))
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "system_info", "arguments": {}}}
    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25"}
    timings = []
    async with anyio.create_task_group() as group:
        group.start_soon(server.serve, [sock])
        while not server.started:
            await anyio.sleep(0.01)
        async with httpx2.AsyncClient(base_url=url, headers=headers) as client:
            if bearer:
                await runtime.security.accounts.add("bench", Role.VIEWER, "correct horse battery staple", by=Actor("b"))
                login = await client.post(
                    "/auth/login", json={"username": "bench", "password": "correct horse battery staple"}
                )
                client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            for _ in range(20):
                await client.post("/mcp", json=body)
            for _ in range(count):
                started = time.perf_counter()
                await client.post("/mcp", json=body)
                timings.append(time.perf_counter() - started)
        server.should_exit = True
    return statistics.median(timings) * 1000


async def main(count: int) -> None:
    configure_logging("ERROR", "json")
    with tempfile.TemporaryDirectory() as scratch:
        base = {"data_dir": Path(scratch) / "a", "log_level": "WARNING", "rate_limit_user": "1000000/minute"}
        for memory in (19456, 32768, 65536):
            hashing, verifying = await argon2(load_settings(**base, argon2_memory_kib=memory))
            print(f"argon2id m={memory} KiB t=2 p=1: hash {hashing:.1f} ms, verify {verifying:.1f} ms")
        settings = load_settings(**base)
        plain = await calls(load_settings(**{**base, "data_dir": Path(scratch) / "b"}), count, secured=False)
        secured = await calls(settings, count, secured=True)
        print(f"system_info in memory: {plain:.2f} ms without interceptors, {secured:.2f} ms with them")
        for name, value in (await steps(load_settings(**{**base, "data_dir": Path(scratch) / "c"}), count)).items():
            print(f"  {name}: {value:.2f} ms")
        per_record = await audit_records(load_settings(**{**base, "data_dir": Path(scratch) / "f"}), count * 50)
        print(f"audit record, routine (queued, then written 50 at a time): {per_record:.1f} us of CPU each")
        web = {
            **base,
            "stateless_http": True,
            "json_response": True,
            "argon2_memory_kib": 19456,
            "rate_limit_anonymous": "1000000/minute",
        }
        no_auth = await http(load_settings(**{**web, "data_dir": Path(scratch) / "d"}), count, bearer=False)
        with_bearer = await http(load_settings(**{**web, "data_dir": Path(scratch) / "e"}), count, bearer=True)
        print(
            f"HTTP tools/call (stateless JSON): {no_auth:.2f} ms without auth, {with_bearer:.2f} ms with a bearer token"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300)
    anyio.run(main, parser.parse_args().calls)
