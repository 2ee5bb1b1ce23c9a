"""Host and Origin allow-lists for every route, with the loopback exemption of the two health probes."""

from cyrano_mcp.security.http_origin import AllowList, OriginCheck

HOSTS = ["127.0.0.1:*", "localhost:*", "[::1]:*", "cyrano.firm.example"]
ORIGINS = ["http://127.0.0.1:*", "https://cyrano.firm.example"]


def test_patterns_are_exact_names_or_a_name_with_any_port() -> None:
    hosts = AllowList(HOSTS)
    assert all(hosts.allows(host) for host in ("127.0.0.1:8765", "[::1]:1", "cyrano.firm.example"))
    refused = ("127.0.0.1", "127.0.0.1:", "127.0.0.1:80evil", "127.0.0.1.evil.example:80", "cyrano.firm.example:443")
    assert not any(hosts.allows(host) for host in refused)


def test_only_health_probes_from_this_machine_skip_the_host_check() -> None:
    check = OriginCheck(HOSTS, ORIGINS)
    assert check.refusal("/healthz", "127.0.0.1", "10.0.0.5:8765", None) is None
    assert check.refusal("/readyz", "::1", None, None) is None
    assert check.refusal("/healthz", "203.0.113.7", "10.0.0.5:8765", None) == (421, "invalid_host")
    assert check.refusal("/metrics", "127.0.0.1", "10.0.0.5:8765", None) == (421, "invalid_host")
    assert check.refusal("/healthz", "127.0.0.1", "evil.example", "https://evil.example") == (403, "invalid_origin")
    assert check.refusal("/auth/login", "203.0.113.7", "cyrano.firm.example", "https://cyrano.firm.example") is None
