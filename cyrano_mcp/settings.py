"""Cyrano's settings: one pydantic-settings class, read from `CYRANO_*` variables and an optional `.env`.

Engines never read the environment themselves; they get these settings through their `EngineContext`.
"""

import ipaddress
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from cyrano_mcp.errors import ConfigError

Transport = Literal["stdio", "http", "sse"]
LogFormat = Literal["auto", "json", "console"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ~/.local/share/cyrano on Linux)."""
    return Path(platformdirs.user_data_dir("cyrano", appauthor=False))


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _split_csv(value: object) -> object:
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

    local_user: str = Field(
        default="local",
        description="The account stdio (and in-process) callers act as. The default `local` is created as an "
        "admin without a password on first use; any other name must exist (`cyrano-mcp users add`).",
    )
    access_token_minutes: int = Field(default=15, ge=1, le=60, description="Lifetime of access tokens.")
    refresh_token_days: int = Field(default=7, ge=1, le=90, description="Lifetime of refresh tokens.")
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
        description="`redis://host:port/db`: rate-limit counters shared by every process. Unset: in memory, "
        "per process.",
    )
    rate_limit_user: str = Field(
        default="100/minute", description="Tool calls per authenticated user (e.g. `100/minute`, `5000/hour`)."
    )
    rate_limit_anonymous: str = Field(
        default="20/minute", description="Calls and unauthenticated requests per client address."
    )
    rate_limit_login: str = Field(default="10/minute", description="Login and refresh attempts per client address.")
    rate_limit_max_penalty_seconds: int = Field(
        default=3600,
        ge=1,
        le=86400,
        description="Longest block after repeated violations (each violation within an hour doubles the block).",
    )

    log_level: LogLevel = Field(default="INFO", description="Lowest level written to stderr.")
    log_format: LogFormat = Field(
        default="auto", description="`json` lines, readable `console`, or `auto` (console on a terminal)."
    )

    plugins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Extra engines to load, as `package.module:factory`, comma-separated "
        "(in addition to the `cyrano.engines` entry points).",
    )
    disabled_engines: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Engines not to load, by name, comma-separated."
    )

    @field_validator(
        "allowed_hosts",
        "allowed_origins",
        "cors_origins",
        "trusted_proxies",
        "plugins",
        "disabled_engines",
        mode="before",
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        url = value.get_secret_value()
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

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
    def _redis(cls, value: SecretStr | None) -> SecretStr | None:
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
    def database_kind(self) -> Literal["sqlite", "postgresql"]:
        return "postgresql" if self.resolved_database_url.startswith("postgresql") else "sqlite"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; a bad value raises `ConfigError` naming the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"CYRANO_{field.upper()}: {error['msg']}" if field else message)
        raise ConfigError("invalid settings: " + "; ".join(problems)) from None
