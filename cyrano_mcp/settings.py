"""Cyrano's settings: one pydantic-settings class, read from `CYRANO_*` variables and an optional `.env`.

Engines never read the environment themselves; they get these settings through their `EngineContext`.
"""

from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from cyrano_mcp.errors import ConfigError

Transport = Literal["stdio", "http", "sse"]
LogFormat = Literal["auto", "json", "console"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ~/.local/share/cyrano on Linux)."""
    return Path(platformdirs.user_data_dir("cyrano", appauthor=False))


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

    redis_url: SecretStr | None = Field(
        default=None,
        description="Redis for state shared by several processes (`redis://host:6379/0`); "
        "when set, readiness also checks that it answers.",
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
        description="Extra engines to load, as `package.module:factory`, comma-separated "
        "(in addition to the `cyrano.engines` entry points).",
    )
    disabled_engines: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Engines not to load, by name, comma-separated."
    )

    @field_validator("allowed_hosts", "allowed_origins", "plugins", "disabled_engines", mode="before")
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

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not value.get_secret_value().startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

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
            field = ".".join(str(part) for part in error["loc"]) or "settings"
            problems.append(f"CYRANO_{field.upper()}: {error['msg']}")
        raise ConfigError("invalid settings: " + "; ".join(problems)) from None
