"""The audit log in tests: records appended through the service, and SQL run behind its back (as an attacker
with write access to the database would)."""

import sqlalchemy as sa

from cyrano_mcp.security.audit import Actor
from cyrano_mcp.server import Runtime


async def fill(runtime: Runtime, count: int = 6) -> None:
    for number in range(count):
        await runtime.security.audit.append("test", actor=Actor(name="tester"), outcome="ok", target=f"t{number}")


async def sql(runtime: Runtime, statement: str, **params: object) -> None:
    async with runtime.database.write_engine.begin() as conn:
        await conn.execute(sa.text(statement), params)


async def problems(runtime: Runtime, anchor: tuple[int, str] | None = None) -> list[str]:
    return (await runtime.security.audit.verify(anchor=anchor)).problems
