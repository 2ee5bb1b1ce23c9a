"""Host and Origin checks (DNS-rebinding protection) for every route of the HTTP app, not only the MCP ones.

A page an attacker serves can point its own name at this server (DNS rebinding) and have a visitor's browser
send requests that carry the attacker's Host, and for cross-origin requests its Origin. Unknown values are
refused on every route: such a page must not log in, lock accounts or read metrics.

Patterns are those of the SDK's `TransportSecuritySettings` (`CYRANO_ALLOWED_HOSTS`, `CYRANO_ALLOWED_ORIGINS`):
an exact value, or `name:*` for that name with any port. A request without an Origin passes (browsers omit it
on same-origin GETs, and programs do not send one).

One exemption: /healthz and /readyz skip the Host check (not the Origin check) for a peer on this machine, so
local probes (a container's health check, `curl localhost:8765/healthz`) need no configuration. A rebinding page
opened on the server's own machine can therefore read those two answers: status, version and readiness checks.
"""

from collections.abc import Iterable

from cyrano_mcp.settings import is_loopback

PROBE_PATHS = frozenset({"/healthz", "/readyz"})


class AllowList:
    """Exact values plus `prefix:*` patterns, where the part after `prefix:` must be a port number."""

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = list(patterns)
        self._exact = frozenset(pattern for pattern in patterns if not pattern.endswith(":*"))
        self._any_port = tuple(pattern[:-1] for pattern in patterns if pattern.endswith(":*"))

    def allows(self, value: str) -> bool:
        if value in self._exact:
            return True
        return any(value.startswith(prefix) and value[len(prefix) :].isdigit() for prefix in self._any_port)


class OriginCheck:
    def __init__(self, allowed_hosts: Iterable[str], allowed_origins: Iterable[str]) -> None:
        self._hosts = AllowList(allowed_hosts)
        self._origins = AllowList(allowed_origins)

    def refusal(self, path: str, peer: str | None, host: str | None, origin: str | None) -> tuple[int, str] | None:
        """(status, error code) when the request must be refused, else None."""
        probe_from_here = path in PROBE_PATHS and peer is not None and is_loopback(peer)
        if not probe_from_here and (host is None or not self._hosts.allows(host)):
            return 421, "invalid_host"
        if origin is not None and not self._origins.allows(origin):
            return 403, "invalid_origin"
        return None
