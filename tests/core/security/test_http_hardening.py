"""The HTTP app's perimeter: security headers on every answer, Host and Origin allow-lists, a body size
limit, CORS only for configured origins, the no-auth switch refused off loopback, and HTTPS from the CLI."""

import datetime
import ipaddress
import logging
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.http import build_http_app
from cyrano_mcp.server import build_runtime
from cyrano_mcp.settings import load_settings
from tests.conftest import TEST_SETTINGS
from tests.core.security.conftest import CALL_HEADERS, HttpServer, http_settings, start_http, tool_call
from tests.interop._servers import cyrano_http_server

pytestmark = pytest.mark.anyio

EXPECTED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
}


def assert_hardened(response: httpx2.Response) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert response.headers.get_list("x-frame-options") == ["DENY"]


async def test_every_answer_carries_the_security_headers(http_server: HttpServer) -> None:
    async with http_server.client("admin") as http, http_server.client(None) as anonymous:
        answers = [
            await http.get("/healthz"),
            await http.get("/readyz"),
            await http.post("/mcp", json=tool_call("system_info")),
            await anonymous.post("/mcp", json=tool_call("system_info")),  # 401
            await anonymous.get("/no/such/page"),  # 404
            await anonymous.post("/auth/login", json={"username": "x", "password": "y"}),  # 401
            await anonymous.get("/.well-known/oauth-protected-resource/mcp"),
            await http.post("/mcp", json=tool_call("system_info"), headers={"Host": "evil.example"}),  # 421
        ]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 401, 404, 401, 200, 421]
    for answer in answers:
        assert_hardened(answer)
    assert answers[2].headers["cache-control"] == "no-store"


async def test_a_foreign_origin_or_host_is_refused_even_with_a_valid_token(http_server: HttpServer) -> None:
    async with http_server.client("admin") as http:
        origin = await http.post("/mcp", json=tool_call("system_info"), headers={"Origin": "https://evil.example"})
        host = await http.post("/mcp", json=tool_call("system_info"), headers={"Host": "cyrano.evil.example"})
        same = await http.post("/mcp", json=tool_call("system_info"), headers={"Origin": "http://127.0.0.1:1234"})
    assert origin.status_code == 403
    assert host.status_code == 421
    assert same.status_code == 200


async def test_a_request_body_over_the_limit_is_refused(data_dir: Path) -> None:
    async for server in start_http(http_settings(data_dir, max_request_bytes=4096)):
        padding = {"client_name": "A", "title": "B", "practice_area": "tax", "notes": "x" * 5000}
        async with server.client("admin") as http:
            declared = await http.post("/mcp", json=tool_call("matters_create", padding))

            async def chunks() -> AsyncIterator[bytes]:
                for _ in range(10):
                    yield b"x" * 1000  # no Content-Length: the limit is counted as the body streams in

            streamed = await http.post("/mcp", content=chunks(), headers={"Content-Type": "application/json"})
            login = await http.post(
                "/auth/login", content=b"{" + b" " * 5000 + b"}", headers={"Content-Type": "application/json"}
            )
            fine = await http.post("/mcp", json=tool_call("system_info"))
        assert [declared.status_code, streamed.status_code, login.status_code] == [413, 413, 413]
        assert fine.status_code == 200


async def test_cors_answers_only_configured_origins(data_dir: Path) -> None:
    app_origin = "https://app.firm.example"
    async for server in start_http(http_settings(data_dir, cors_origins=app_origin), users={}):
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
        async with httpx2.AsyncClient(base_url=server.url) as http:
            allowed = await http.options("/mcp", headers={"Origin": app_origin, **preflight})
            refused = await http.options("/mcp", headers={"Origin": "https://evil.example", **preflight})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == app_origin
    assert "access-control-allow-credentials" not in allowed.headers
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    assert_hardened(allowed)


async def test_without_cors_origins_there_are_no_cors_headers(http_server: HttpServer) -> None:
    async with http_server.client("admin", Origin="http://127.0.0.1:9") as http:
        answer = await http.post("/mcp", json=tool_call("system_info"))
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers


def test_the_no_auth_switch_is_refused_off_loopback(data_dir: Path) -> None:
    for host in ("0.0.0.0", "192.168.1.20", "::"):
        with pytest.raises(ConfigError, match="CYRANO_INSECURE_HTTP_NO_AUTH is refused"):
            load_settings(data_dir=data_dir, host=host, insecure_http_no_auth=True)
    for host in ("127.0.0.1", "localhost", "::1"):
        assert load_settings(data_dir=data_dir, host=host, insecure_http_no_auth=True).insecure_http_no_auth


def test_the_no_auth_switch_is_loud(data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        build_http_app(build_runtime(load_settings(data_dir=data_dir, insecure_http_no_auth=True, **TEST_SETTINGS)))
    (record,) = [r for r in caplog.records if "http_auth_disabled" in r.getMessage()]
    assert record.levelno == logging.WARNING and "local development only" in record.getMessage().lower()


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@pytest.mark.slow
async def test_serve_with_certfile_and_keyfile_speaks_https(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path / "tls")
    async with cyrano_http_server(tmp_path, stateless=True, json_response=True, tls=(cert, key)) as server:
        assert server.base_url.startswith("https://")
        trust = ssl.create_default_context(cafile=cert)
        async with httpx2.AsyncClient(verify=trust, headers={**CALL_HEADERS, **server.auth_headers}) as http:
            answer = await http.post(server.mcp_url, json=tool_call("system_info"))
        assert answer.status_code == 200 and answer.json()["result"]["structuredContent"]["name"] == "cyrano"
        assert_hardened(answer)
        async with httpx2.AsyncClient() as plain:
            with pytest.raises(httpx2.TransportError):  # no plaintext fallback on the TLS port
                await plain.get(server.base_url.replace("https://", "http://") + "/healthz")
