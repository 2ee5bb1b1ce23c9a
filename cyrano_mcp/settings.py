"""Cyrano's settings: one pydantic-settings class, read from `CYRANO_*` variables and an optional `.env`.

Engines never read the environment themselves; they get these settings through their `EngineContext`.
"""

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from cyrano_mcp.errors import ConfigError

Transport = Literal["stdio", "http", "sse"]
LogFormat = Literal["auto", "json", "console"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
RedactionKind = Literal["ssn", "card", "bank_account"]
RoleName = Literal["admin", "attorney", "paralegal", "viewer"]  # security.rbac.Role, without importing security


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ~/.local/share/cyrano on Linux)."""
    return Path(platformdirs.user_data_dir("cyrano", appauthor=False))


def _vendor_variable(name: str) -> AliasChoices:
    """Read a vendor setting from its usual variable (OPENAI_API_KEY...), not a CYRANO_ one."""
    return AliasChoices(name.lower(), name)


def _every_redaction() -> list[RedactionKind]:
    return ["ssn", "card", "bank_account"]


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def split_commas(value: object) -> object:
    """A list setting given as `a,b,c` in the environment, as a list (other values pass unchanged)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every setting Cyrano reads. The README's configuration table is generated from these fields."""

    model_config = SettingsConfigDict(
        env_prefix="CYRANO_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the embedded store, keys and backups live; created on first start.",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy URL of the store. Unset: a SQLite file in the data dir. "
        "`postgresql+asyncpg://user@host/db` switches to PostgreSQL.",
    )
    db_pool_min: int = Field(default=5, ge=1, le=200, description="PostgreSQL: connections kept open.")
    db_pool_max: int = Field(default=20, ge=1, le=500, description="PostgreSQL: most connections at once.")
    db_timeout_seconds: float = Field(
        default=5.0, gt=0, le=120, description="Connect timeout and SQLite busy timeout, in seconds."
    )
    auto_migrate: bool = Field(default=True, description="Apply pending schema migrations on start.")

    transport: Transport = Field(default="stdio", description="Default transport of `cyrano-mcp serve`.")
    host: str = Field(default="127.0.0.1", description="HTTP/SSE bind address.")
    port: int = Field(default=8765, ge=0, le=65535, description="HTTP/SSE port (0 picks a free one).")
    stateless_http: bool = Field(
        default=False, description="Streamable HTTP without sessions (any worker can serve any request)."
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="HTTP worker processes behind one port (`serve --workers N`); more than 1 makes streamable "
        "HTTP stateless.",
    )
    json_response: bool = Field(
        default=False, description="Streamable HTTP answers with plain JSON (no SSE; drops progress notifications)."
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1:*", "localhost:*", "[::1]:*"],
        description="Host headers the HTTP app accepts (DNS-rebinding protection); comma-separated.",
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
        description="Origin headers the HTTP app accepts; comma-separated.",
    )

    max_request_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024, le=512 * 1024 * 1024, description="Largest HTTP request body accepted."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Browser origins allowed to call the HTTP app cross-origin (CORS); comma-separated. "
        "Empty: no CORS headers at all.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses of TLS-terminating proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; "
        "comma-separated. Empty: the socket's peer address is the client.",
    )
    tls_certfile: Path | None = Field(default=None, description="PEM certificate: serve HTTPS directly.")
    tls_keyfile: Path | None = Field(default=None, description="PEM private key of `CYRANO_TLS_CERTFILE`.")
    public_url: str = Field(
        default="http://127.0.0.1:8765",
        description="The server's external base URL: token issuer, token audience (`<url>/mcp`) and the "
        "RFC 9728 protected-resource metadata.",
    )
    insecure_http_no_auth: bool = Field(
        default=False,
        description="Local development only: HTTP without bearer tokens (callers act as the local user). "
        "Refused unless the bind address is loopback.",
    )
    http_body_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="Longest a client may take to send a request body; a slower one gets 408 and its connection "
        "is closed.",
    )
    http_unauthenticated_per_address: int = Field(
        default=16,
        ge=1,
        le=10_000,
        description="Request bodies without a valid token (logins, refreshes) one client address may be sending "
        "at once; more get 429.",
    )
    http_sessions_per_user: int = Field(
        default=16,
        ge=1,
        le=10_000,
        description="Open MCP sessions (stateful streamable HTTP, SSE streams) per user and process; a further "
        "`initialize` gets 429 until one is ended or expires.",
    )
    http_session_idle_seconds: float = Field(
        default=600.0,
        ge=1,
        le=86_400,
        description="A stateful streamable HTTP session with no request for this long is ended (its client "
        "starts a new one).",
    )

    local_user: str = Field(
        default="local",
        description="The account stdio (and in-process) callers act as. The default `local` is created without a "
        "password on first use, with `CYRANO_LOCAL_USER_ROLE`; any other name must exist "
        "(`cyrano-mcp users add NAME --role ROLE --no-password`).",
    )
    local_user_role: RoleName = Field(
        default="attorney",
        description="The role the default `local` account is created with (an untouched `local` admin made by an "
        "earlier release is moved to it). Not admin by default: whatever the desktop host's model reads could then "
        "create accounts; account administration stays with the CLI.",
    )
    access_token_minutes: int = Field(default=15, ge=1, le=60, description="Lifetime of access tokens.")
    refresh_token_days: int = Field(default=7, ge=1, le=90, description="Lifetime of refresh tokens.")
    refresh_grace_seconds: int = Field(
        default=30,
        ge=0,
        le=60,
        description="For this long after a refresh token is exchanged, presenting it again (a client retrying a "
        "refresh whose answer it lost, or racing itself) returns the same new pair, as long as that pair's refresh "
        "token is unused; later, it is reuse and ends the login. 0: every second use is reuse.",
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        description="Token signing key, >= 256 random bits as base64url or hex. Unset: `CYRANO_JWT_SECRET_FILE`.",
    )
    jwt_secret_file: Path | None = Field(
        default=None,
        description="File (mode 0600) holding the token signing key. Unset: `<data dir>/keys/jwt.key`, "
        "generated on first start for the embedded SQLite store.",
    )
    master_key: SecretStr | None = Field(
        default=None,
        description="Master key (256 bits, base64url or hex) protecting the field-encryption keyring. "
        "Unset: `CYRANO_MASTER_KEY_FILE`.",
    )
    master_key_file: Path | None = Field(
        default=None,
        description="File (mode 0600) holding the master key. Unset: `<data dir>/keys/master.key`, generated on "
        "first start for the embedded SQLite store. Back it up: without it encrypted fields are lost.",
    )
    argon2_memory_kib: int = Field(
        default=32768, ge=19456, le=4 * 1024 * 1024, description="Argon2id memory cost of password hashes, in KiB."
    )
    argon2_time_cost: int = Field(default=2, ge=2, le=20, description="Argon2id passes over memory.")
    argon2_parallelism: int = Field(default=1, ge=1, le=16, description="Argon2id lanes.")

    redis_url: SecretStr | None = Field(
        default=None,
        description="`redis://host:port/db`: state shared by several processes (rate-limit counters). Unset: in "
        "memory, per process. When set, readiness also checks that it answers.",
    )
    rate_limit_user: str = Field(
        default="100/minute",
        description="MCP requests (tool calls, `initialize`, listings) per authenticated user (e.g. `100/minute`, "
        "`5000/hour`). Over HTTP a tool call past it is a `rate_limited` tool error with the wait; other requests "
        "get 429.",
    )
    rate_limit_local_user: bool = Field(
        default=False,
        description="Apply `CYRANO_RATE_LIMIT_USER` to the local user's tool calls over stdio too. Off: a lawyer's "
        "own scripted batch never stalls (the local user is on their own machine).",
    )
    rate_limit_anonymous: str = Field(
        default="20/minute", description="Calls and unauthenticated requests per client address."
    )
    rate_limit_login: str = Field(default="10/minute", description="Login and refresh attempts per client address.")
    login_lockout_account_failures: int = Field(
        default=100,
        ge=10,
        le=100_000,
        description="Failed logins for one username from all addresses together, within an hour of the first, that "
        "lock it from every address for the rest of that hour (`cyrano-mcp users unlock NAME` lifts it). Before "
        "that, 5 failures from one address lock the name from that address only, for 30 s, doubling.",
    )
    rate_limit_max_penalty_seconds: int = Field(
        default=3600,
        ge=1,
        le=86400,
        description="Longest block after repeated violations (each violation within an hour doubles the block).",
    )

    job_workers: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="Job items one process works on at once; unset: the usable CPU cores divided by "
        "CYRANO_WORKERS (at least 1).",
    )
    job_max_attempts: int = Field(
        default=5, ge=1, le=50, description="Tries per job item on transient failures before it is marked failed."
    )
    job_retry_base_seconds: float = Field(
        default=2.0, gt=0, le=3600, description="Wait before a job item's first retry; doubles on each retry."
    )
    job_retry_max_seconds: float = Field(
        default=300.0, gt=0, le=86_400, description="Longest wait between two tries of a job item."
    )
    job_lease_seconds: float = Field(
        default=30.0,
        ge=1,
        le=3600,
        description="How long a job item stays claimed by a process that stopped answering (killed, crashed) "
        "before another process takes it over.",
    )
    job_poll_seconds: float = Field(
        default=1.0, gt=0, le=60, description="How often an idle process looks for job items due to run."
    )

    log_level: LogLevel = Field(default="INFO", description="Lowest level written to stderr.")
    log_format: LogFormat = Field(
        default="auto", description="`json` lines, readable `console`, or `auto` (console on a terminal)."
    )

    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Also serve Prometheus metrics on this port (for stdio, or to keep /metrics off the main "
        "listener); unset: only `GET /metrics` of the HTTP app.",
    )
    metrics_host: str = Field(default="127.0.0.1", description="Bind address of the `CYRANO_METRICS_PORT` listener.")
    min_free_disk_mb: int = Field(
        default=1024,
        ge=0,
        description="Readiness fails when the data dir's disk has less free space than this, in MiB.",
    )

    plugins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Extra engines to load, as `package.module:ENGINE`, comma-separated "
        "(in addition to the `cyrano.engines` entry points).",
    )
    disabled_engines: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Engines not to load, by name, comma-separated."
    )
    toolsets: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Which toolsets' tools and prompts the server offers, comma-separated: toolset names, `all`, "
        "or `default` (also what leaving it unset means): over stdio the lawyer's own (matters, documents, jobs "
        "and each engine's), over HTTP all of them. `cyrano-mcp tools --budget` shows what a choice costs.",
    )

    llm_provider: str = Field(
        default="auto",
        pattern=r"^[a-z][a-z0-9_-]{0,39}$",
        description="Which model engines use: `auto` (the first that can answer of openai, anthropic, installed "
        "provider plugins and sampling, else offline), `openai`, `anthropic`, `sampling` (the MCP client's own "
        "model), `offline` (rules only), or a plugin's name (entry-point group `cyrano.llm_providers`).",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=_vendor_variable("OPENAI_API_KEY"),
        description="OPENAI_API_KEY. For an OpenAI-compatible server that needs no key, any value.",
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=_vendor_variable("OPENAI_BASE_URL"),
        description="OPENAI_BASE_URL: any server that speaks OpenAI's chat-completions API (default: OpenAI's).",
    )
    openai_model: str = Field(default="gpt-4.1-mini", min_length=1, description="The OpenAI model to use.")
    anthropic_api_key: SecretStr | None = Field(
        default=None, validation_alias=_vendor_variable("ANTHROPIC_API_KEY"), description="ANTHROPIC_API_KEY."
    )
    anthropic_base_url: str | None = Field(
        default=None,
        validation_alias=_vendor_variable("ANTHROPIC_BASE_URL"),
        description="ANTHROPIC_BASE_URL (default: Anthropic's API).",
    )
    anthropic_model: str = Field(default="claude-haiku-4-5", min_length=1, description="The Anthropic model to use.")
    llm_timeout_seconds: float = Field(default=60.0, gt=0, le=600, description="Longest wait for one model answer.")
    llm_max_attempts: int = Field(
        default=3, ge=1, le=10, description="Tries per call on rate limits, server errors, timeouts (vendor APIs)."
    )
    llm_retry_budget_seconds: float = Field(
        default=90.0, gt=0, le=900, description="Longest a call may spend on one provider, retries and waits included."
    )
    llm_breaker_threshold: int = Field(
        default=5, ge=1, le=100, description="Consecutive failures after which a vendor API is skipped for a while."
    )
    llm_breaker_cooldown_seconds: float = Field(
        default=30.0, gt=0, le=3600, description="How long a vendor API is skipped before one trial call."
    )
    llm_cache_size: int = Field(
        default=256, ge=0, le=100_000, description="Temperature-0 answers kept in memory; 0 turns the cache off."
    )
    llm_cache_ttl_seconds: float = Field(default=3600.0, gt=0, description="How long a cached answer is served.")
    llm_redact: Annotated[list[RedactionKind], NoDecode] = Field(
        default_factory=_every_redaction,
        description="What is masked before text goes to any model: ssn, card, bank_account, comma-separated. "
        "Empty turns masking off.",
    )

    engine_settings: dict[str, Any] = Field(
        default_factory=dict,
        description="Installed engines' settings given in code (tests, embedding), by field name; from the "
        "environment each engine reads its own `CYRANO_*` variables.",
    )

    @field_validator(
        "allowed_hosts",
        "allowed_origins",
        "cors_origins",
        "trusted_proxies",
        "plugins",
        "disabled_engines",
        "toolsets",
        "llm_redact",
        mode="before",
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return split_commas(value)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        url = value.get_secret_value()
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("openai_base_url", "anthropic_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.strip().startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.strip()

    @field_validator("openai_api_key", "anthropic_api_key")
    @classmethod
    def _unset_if_blank(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value().strip() else None

    @field_validator("rate_limit_user", "rate_limit_anonymous", "rate_limit_login")
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError("must look like `100/minute` or `20 per 10 seconds`") from None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not value.get_secret_value().startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _coherent(self) -> "Settings":
        if self.insecure_http_no_auth and not is_loopback(self.host):
            raise ValueError(
                "CYRANO_INSECURE_HTTP_NO_AUTH is refused unless CYRANO_HOST is a loopback address "
                f"(it is {self.host!r})"
            )
        if (self.tls_certfile is None) != (self.tls_keyfile is None):
            raise ValueError("CYRANO_TLS_CERTFILE and CYRANO_TLS_KEYFILE go together")
        return self

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "cyrano.db"

    @property
    def resolved_database_url(self) -> str:
        """The URL the store connects to (secret: never log it)."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite+aiosqlite:///{self.sqlite_path}"

    @property
    def job_concurrency(self) -> int:
        """Job items this process runs at once (the worker pool's size)."""
        if self.job_workers is not None:
            return self.job_workers
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(1, cores // self.workers)

    @property
    def database_kind(self) -> Literal["sqlite", "postgresql"]:
        return "postgresql" if self.resolved_database_url.startswith("postgresql") else "sqlite"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; a bad value raises `ConfigError` naming the setting.

    Overrides that are not the core's settings are kept for the engines (`engine_settings`): an engine's own
    settings model takes its fields from there before the environment.
    """
    core: dict[str, Any] = {name: value for name, value in overrides.items() if name in Settings.model_fields}
    engines = {name: value for name, value in overrides.items() if name not in Settings.model_fields}
    if engines:
        core["engine_settings"] = {**dict(core.get("engine_settings") or {}), **engines}
    return read_settings(Settings, core)


SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def read_settings(model: type[SettingsT], values: Mapping[str, object]) -> SettingsT:
    """`model` read from the environment with `values` first; a bad value is a `ConfigError` naming its variable."""
    try:
        return model(**dict(values))  # type: ignore[arg-type]  # pydantic-settings types its own init options
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{variable_of(model, field)}: {message}" if field else message)
        raise ConfigError("invalid settings: " + "; ".join(problems)) from None


def variable_of(model: type[BaseSettings], field: str) -> str:
    """The environment variable a setting of `model` is read from."""
    info = model.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[-1])
    return f"CYRANO_{field.upper()}"
