"""Accounts and bearer tokens for tests: users made through the service layer, tokens from POST /auth/login."""

from typing import Any

import httpx2

from cyrano_mcp.principal import Role
from cyrano_mcp.security.audit import Actor
from cyrano_mcp.server import Runtime

PASSWORD = "correct horse battery staple"
TESTER = Actor(name="tests")


async def add_user(runtime: Runtime, username: str, role: Role | str = Role.ADMIN, password: str = PASSWORD) -> None:
    """Create an account (the runtime's store must be open)."""
    await runtime.security.accounts.add(username, Role(role), password, by=TESTER)


async def login(base_url: str, username: str, password: str = PASSWORD) -> dict[str, Any]:
    """The token response of POST /auth/login (fails the test unless it is 200)."""
    async with httpx2.AsyncClient() as http:
        response = await http.post(f"{base_url}/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def bearer(token: str, **headers: str) -> httpx2.AsyncClient:
    """An HTTP client that sends `Authorization: Bearer <token>` on every request."""
    return httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}", **headers})
