"""Refresh grace: a client that retries a refresh, or races itself, is not logged out.

Of ten concurrent exchanges of one refresh token, nine used to count as reuse and revoke the login, the
winner's new tokens included: a client that retried a refresh that timed out was logged out. Now, within
`CYRANO_REFRESH_GRACE_SECONDS` of the exchange and while the new pair's refresh token is unused, presenting
the old token again returns that same pair. After the window, or once the new pair has been used, it is
reuse as before.
"""

from datetime import timedelta
from typing import Any

import anyio
import jwt
import pytest
import sqlalchemy as sa

from cyrano_mcp.errors import DomainError
from cyrano_mcp.principal import Role
from cyrano_mcp.security.tables import RefreshToken, TokenFamily
from cyrano_mcp.security.tokens import InvalidTokenError
from cyrano_mcp.server import Runtime, build_runtime
from cyrano_mcp.settings import Settings
from cyrano_mcp.store.types import utc_now
from tests.core.security.conftest import HttpServer, http_server, tool_call  # noqa: F401 (a fixture)
from tests.utils.auth import PASSWORD, add_user

pytestmark = pytest.mark.anyio

_REFRESH = RefreshToken.__table__  # type: ignore[attr-defined]
_FAMILIES = TokenFamily.__table__  # type: ignore[attr-defined]


def jti_of(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["jti"])


async def stored(runtime: Runtime, statement: Any) -> list[Any]:
    async with runtime.database.engine.connect() as conn:
        return list((await conn.execute(statement)).all())


async def test_ten_concurrent_refreshes_rotate_once_and_all_get_the_same_pair(any_store_settings: Settings) -> None:
    runtime = build_runtime(any_store_settings.model_copy(update={"rate_limit_login": "1000/minute"}))
    async with runtime.running():
        await add_user(runtime, "racer", Role.VIEWER)
        login = await runtime.security.auth.login("racer", PASSWORD, source="test")
        answers: list[tuple[str, str] | str] = []

        async def refresh() -> None:
            try:
                pair = await runtime.security.auth.refresh(login.refresh_token, source="test")
            except DomainError as exc:
                answers.append(exc.code)
            else:
                answers.append((pair.access_token, pair.refresh_token))

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                for _ in range(10):
                    group.start_soon(refresh)
        assert len(answers) == 10 and len(set(answers)) == 1, answers  # one pair, ten times, no refusal
        access, refresh_token = answers[0]
        rows = await stored(runtime, sa.select(_REFRESH.c.jti).where(_REFRESH.c.family_id == login.family_id))
        assert len(rows) == 2  # the login's first refresh token and exactly one successor
        revoked = await stored(runtime, sa.select(_FAMILIES.c.revoked_at).where(_FAMILIES.c.id == login.family_id))
        assert revoked == [(None,)]
        assert (await runtime.security.tokens.verify_access(access)).username == "racer"
        onward = await runtime.security.auth.refresh(refresh_token, source="test")
        assert onward.refresh_token != refresh_token


async def test_a_client_that_retries_a_refresh_whose_answer_it_lost_stays_logged_in(
    http_server: HttpServer,  # noqa: F811 (the fixture imported above)
) -> None:
    first = http_server.tokens["attorney"]
    async with http_server.client(None) as http:
        lost = await http.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        retried = await http.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert lost.status_code == retried.status_code == 200, retried.text
        pair = retried.json()
        assert (pair["access_token"], pair["refresh_token"]) == (
            lost.json()["access_token"],
            lost.json()["refresh_token"],
        )
        assert 0 < pair["expires_in"] <= 15 * 60
        bearer = {"Authorization": f"Bearer {pair['access_token']}"}
        assert (await http.post("/mcp", json=tool_call("system_info"), headers=bearer)).status_code == 200
        onward = await http.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert onward.status_code == 200
    audit = http_server.runtime.security.audit
    assert await audit.query(action="refresh_reuse_detected") == []
    replays = [record for record in await audit.query(action="refresh") if "replayed" in record.detail]
    assert len(replays) == 1 and replays[0].outcome == "ok"


async def test_after_the_window_presenting_the_old_token_again_is_reuse_and_ends_the_login(
    settings: Settings,
) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await add_user(runtime, "late", Role.VIEWER)
        login = await runtime.security.auth.login("late", PASSWORD, source="test")
        pair = await runtime.security.auth.refresh(login.refresh_token, source="test")
        async with runtime.database.transaction() as session:  # as if the exchange was one second too long ago
            await (await session.connection()).execute(
                sa.update(_REFRESH)
                .where(_REFRESH.c.jti == jti_of(login.refresh_token))
                .values(used_at=utc_now() - timedelta(seconds=settings.refresh_grace_seconds + 1))
            )
        with pytest.raises(DomainError) as refused:
            await runtime.security.auth.refresh(login.refresh_token, source="test")
        assert refused.value.code == "invalid_grant" and "already used" in str(refused.value)
        with pytest.raises(InvalidTokenError, match="login revoked"):  # the winner's tokens end with the login
            await runtime.security.tokens.verify_access(pair.access_token)
        assert len(await runtime.security.audit.query(action="refresh_reuse_detected")) == 1


async def test_the_window_does_not_bring_back_a_login_that_ended(settings: Settings) -> None:
    runtime = build_runtime(settings)
    async with runtime.running():
        await add_user(runtime, "leaver", Role.VIEWER)
        login = await runtime.security.auth.login("leaver", PASSWORD, source="test")
        await runtime.security.auth.refresh(login.refresh_token, source="test")
        assert await runtime.security.tokens.revoke_family(login.family_id, "logout")
        with pytest.raises(DomainError) as refused:
            await runtime.security.auth.refresh(login.refresh_token, source="test")
        assert refused.value.code == "invalid_grant" and "already used" not in str(refused.value)
