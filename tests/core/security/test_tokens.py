"""Attacks on bearer tokens: every forged, misused or stale token is refused (401, never 500)."""

import base64
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cyrano_mcp.errors import DomainError
from cyrano_mcp.principal import Role
from cyrano_mcp.security.keyfiles import load_jwt_secret
from cyrano_mcp.security.tokens import ACCESS_TYP, REFRESH_TYP
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import Settings
from tests.core.security.conftest import HttpServer, tool_call
from tests.utils.auth import add_user

pytestmark = pytest.mark.anyio

_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_PRIVATE = _RSA.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
RSA_PUBLIC = _RSA.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def claims_of(token: str) -> dict[str, Any]:
    payload: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return payload


def forge(server: HttpServer, base: str, **changes: Any) -> str:
    """Re-sign a genuine token's claims with the real key, after `changes` (None deletes a claim)."""
    claims = {**claims_of(base), **changes}
    claims = {key: value for key, value in claims.items() if value is not None}
    header = jwt.get_unverified_header(base)
    return jwt.encode(
        claims, load_jwt_secret(server.runtime.settings), algorithm="HS256", headers={"typ": header["typ"]}
    )


def alg_none(server: HttpServer) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": ACCESS_TYP}).encode())
    return f"{header}.{_b64(json.dumps(claims_of(server.token())).encode())}."


def rs256(server: HttpServer) -> str:
    return jwt.encode(claims_of(server.token()), RSA_PRIVATE, algorithm="RS256", headers={"typ": ACCESS_TYP})


def hs_with_public_key(server: HttpServer) -> str:
    # The classic confusion: HS256 keyed with a public key the attacker knows.
    header = _b64(json.dumps({"alg": "HS256", "typ": ACCESS_TYP}).encode())
    payload = _b64(json.dumps(claims_of(server.token())).encode())
    import hashlib
    import hmac

    signature = hmac.new(RSA_PUBLIC, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def bad_signature(server: HttpServer) -> str:
    head, payload, signature = server.token().split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return f"{head}.{payload}.{flipped}"


def other_key(server: HttpServer) -> str:
    return jwt.encode(claims_of(server.token()), b"k" * 32, algorithm="HS256", headers={"typ": ACCESS_TYP})


past = int((datetime.now(UTC) - timedelta(hours=1)).timestamp())
FORGERIES: dict[str, Callable[[HttpServer], str]] = {
    "expired": lambda s: forge(s, s.token(), exp=past, iat=past - 900),
    "wrong_audience": lambda s: forge(s, s.token(), aud="https://elsewhere.example/mcp"),
    "wrong_issuer": lambda s: forge(s, s.token(), iss="https://evil.example"),
    "no_exp": lambda s: forge(s, s.token(), exp=None),
    "no_jti": lambda s: forge(s, s.token(), jti=None),
    "someone_else": lambda s: forge(s, s.token(), sub="00000000-0000-0000-0000-000000000000"),
    "stale_token_version": lambda s: forge(s, s.token(), ver=0),
    "bad_signature": bad_signature,
    "signed_with_another_key": other_key,
    "alg_none": alg_none,
    "rs256": rs256,
    "hs256_keyed_with_public_key": hs_with_public_key,
    "refresh_token_as_access": lambda s: str(s.tokens["admin"]["refresh_token"]),
    "garbage": lambda s: "not.a.jwt",
    "empty_looking": lambda s: "e30.e30.",
}


@pytest.mark.parametrize("attack", sorted(FORGERIES))
async def test_a_forged_or_misused_access_token_gets_401(http_server: HttpServer, attack: str) -> None:
    token = FORGERIES[attack](http_server)
    async with http_server.client(None, Authorization=f"Bearer {token}") as http:
        response = await http.post("/mcp", json=tool_call("system_info"))
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert "resource_metadata=" in response.headers["www-authenticate"]


async def test_the_genuine_token_works(http_server: HttpServer) -> None:
    async with http_server.client("admin") as http:
        response = await http.post("/mcp", json=tool_call("system_info"))
    assert response.status_code == 200 and "result" in response.json()


async def test_no_token_gets_401_with_the_protected_resource_metadata(http_server: HttpServer) -> None:
    async with http_server.client(None) as http:
        refused = await http.post("/mcp", json=tool_call("system_info"))
        metadata = await http.get("/.well-known/oauth-protected-resource/mcp")
    assert refused.status_code == 401
    assert metadata.status_code == 200
    assert metadata.json()["resource"] == "http://127.0.0.1:8765/mcp"
    assert metadata.json()["bearer_methods_supported"] == ["header"]


@pytest.mark.parametrize("parameter", ["access_token", "token", "refresh_token"])
async def test_a_token_in_the_query_string_is_refused_even_with_a_good_header(
    http_server: HttpServer, parameter: str
) -> None:
    async with http_server.client("admin") as http:
        response = await http.post(f"/mcp?{parameter}={http_server.token()}", json=tool_call("system_info"))
        no_header = await http.post(
            f"/mcp?{parameter}={http_server.token()}", json=tool_call("system_info"), headers={"Authorization": ""}
        )
    for refused in (response, no_header):
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_request"
        assert refused.headers["www-authenticate"] == 'Bearer error="invalid_request"'


async def test_an_access_token_is_not_a_refresh_token(http_server: HttpServer) -> None:
    async with http_server.client(None) as http:
        response = await http.post("/auth/refresh", json={"refresh_token": http_server.token()})
    assert response.status_code == 401 and response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "attack",
    ["expired", "wrong_audience", "wrong_issuer", "bad_signature", "alg_none", "access_typ"],
)
async def test_a_forged_refresh_token_is_refused(http_server: HttpServer, attack: str) -> None:
    genuine = str(http_server.tokens["viewer"]["refresh_token"])
    forged = {
        "expired": lambda: forge(http_server, genuine, exp=past, iat=past - 900),
        "wrong_audience": lambda: forge(http_server, genuine, aud=f"{http_server.runtime.security.tokens.audience}"),
        "wrong_issuer": lambda: forge(http_server, genuine, iss="https://evil.example"),
        "bad_signature": lambda: genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
        "alg_none": lambda: ".".join(
            [_b64(json.dumps({"alg": "none", "typ": REFRESH_TYP}).encode()), genuine.split(".")[1], ""]
        ),
        "access_typ": lambda: jwt.encode(
            claims_of(genuine), load_jwt_secret(http_server.runtime.settings), headers={"typ": ACCESS_TYP}
        ),
    }[attack]()
    async with http_server.client(None) as http:
        response = await http.post("/auth/refresh", json={"refresh_token": forged})
    assert response.status_code == 401 and response.json()["error"] == "invalid_grant"


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_login(http_server: HttpServer) -> None:
    first = http_server.tokens["paralegal"]
    async with http_server.client(None) as http:
        rotated = await http.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert rotated.status_code == 200
        second = rotated.json()
        assert second["refresh_token"] != first["refresh_token"] and second["token_type"] == "bearer"
        assert rotated.headers["cache-control"] == "no-store"
        ok = await http.post(
            "/mcp", json=tool_call("system_info"), headers={"Authorization": f"Bearer {second['access_token']}"}
        )
        assert ok.status_code == 200
        third = (await http.post("/auth/refresh", json={"refresh_token": second["refresh_token"]})).json()

        # The first token's successor has been used: presenting it again is reuse, grace window or not.
        reuse = await http.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert reuse.status_code == 401 and "already used" in reuse.json()["error_description"]
        # The thief's or the victim's newer tokens of that login die with it.
        newer = await http.post("/auth/refresh", json={"refresh_token": third["refresh_token"]})
        assert newer.status_code == 401
        for access in (first["access_token"], second["access_token"], third["access_token"]):
            denied = await http.post(
                "/mcp", json=tool_call("system_info"), headers={"Authorization": f"Bearer {access}"}
            )
            assert denied.status_code == 401
    records = await http_server.runtime.security.audit.query(action="refresh_reuse_detected")
    assert len(records) == 1 and records[0].outcome == "revoked_login"


async def test_logout_ends_the_login_of_the_token_it_was_called_with(http_server: HttpServer) -> None:
    async with http_server.client("attorney") as http:
        assert (await http.post("/mcp", json=tool_call("auth_logout"))).json()["result"]["structuredContent"] == {
            "revoked": True
        }
        assert (await http.post("/mcp", json=tool_call("system_info"))).status_code == 401
        refresh = await http.post(
            "/auth/refresh", json={"refresh_token": http_server.tokens["attorney"]["refresh_token"]}
        )
    assert refresh.status_code == 401


async def test_disabling_an_account_or_changing_its_password_kills_its_tokens(http_server: HttpServer) -> None:
    accounts = http_server.runtime.security.accounts
    from cyrano_mcp.security.audit import Actor

    await accounts.set_disabled("viewer", True, by=Actor("tests"))
    await accounts.reset_password("paralegal", "a brand new passphrase", by=Actor("tests"))
    async with http_server.client(None) as http:
        for name in ("viewer", "paralegal"):
            bearer = {"Authorization": f"Bearer {http_server.token(name)}"}
            assert (await http.post("/mcp", json=tool_call("system_info"), headers=bearer)).status_code == 401
            refresh = await http.post(
                "/auth/refresh", json={"refresh_token": http_server.tokens[name]["refresh_token"]}
            )
            assert refresh.status_code == 401


async def test_without_a_grace_window_ten_concurrent_refreshes_of_one_token_give_exactly_one_success(
    any_store_settings: Settings,
) -> None:
    # With the window (the default), the nine others get the same pair: tests/attacks/test_refresh_grace.py.
    settings = any_store_settings.model_copy(update={"rate_limit_login": "1000/minute", "refresh_grace_seconds": 0})
    runtime = build_runtime(settings)
    async with runtime.running():
        await add_user(runtime, "racer", Role.VIEWER)
        pair = await runtime.security.auth.login("racer", "correct horse battery staple", source="test")
        outcomes: list[str] = []

        async def refresh() -> None:
            try:
                await runtime.security.auth.refresh(pair.refresh_token, source="test")
            except DomainError as exc:
                outcomes.append(exc.code)
            else:
                outcomes.append("ok")

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                for _ in range(10):
                    group.start_soon(refresh)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "invalid_grant"}


async def test_an_access_token_expires_after_its_lifetime(http_server: HttpServer) -> None:
    claims = claims_of(http_server.token())
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert jwt.get_unverified_header(http_server.token()) == {"alg": "HS256", "typ": "at+jwt"}
    refresh = claims_of(str(http_server.tokens["admin"]["refresh_token"]))
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600
    assert {"iss", "aud", "exp", "iat", "jti", "sub"} <= set(claims) and claims["aud"] != refresh["aud"]
    assert abs(claims["iat"] - time.time()) < 120


async def test_many_logins_are_rechecked_together_and_a_revoked_one_drops_out(any_store_settings: Settings) -> None:
    """The background re-check of busy accounts: one batch (read in chunks), only logins still good come back."""
    runtime = build_runtime(any_store_settings.model_copy(update={"rate_limit_login": "1000/minute"}))
    async with runtime.running():
        tokens = runtime.security.tokens
        keys = []
        for name in ("ada", "bea"):
            await add_user(runtime, name, Role.VIEWER)
            pair = await runtime.security.auth.login(name, "correct horse battery staple", source="test")
            principal = await tokens.verify_access(pair.access_token)
            keys.append((principal.user_id, str(principal.family_id), 1))
        ada, bea = keys
        strangers = [(ada[0], f"no-such-login-{number}", 1) for number in range(600)]  # more than one chunk
        stale_version = (bea[0], bea[1], 2)
        fresh = await tokens._live_accounts([*strangers, ada, stale_version, bea])
        assert set(fresh) == {ada, bea} and fresh[ada].username == "ada"
        await tokens.revoke_family(bea[1], "logout")
        assert set(await tokens._live_accounts([ada, bea])) == {ada}
