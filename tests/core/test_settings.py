"""Settings: validated at start, with an error that names the bad variable; secrets never printed."""

from pathlib import Path

import pytest

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.settings import load_settings


def test_defaults_give_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.database_kind == "sqlite"
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / 'cyrano.db'}"
    assert settings.transport == "stdio"


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYRANO_PORT", "eighty")
    with pytest.raises(ConfigError, match="CYRANO_PORT"):
        load_settings()


def test_an_unknown_database_scheme_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYRANO_DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(ConfigError, match="CYRANO_DATABASE_URL: must start with"):
        load_settings()


def test_a_postgres_url_switches_the_store_and_stays_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYRANO_DATABASE_URL", "postgresql+asyncpg://app:s3cret-pw@db.internal/cyrano")
    settings = load_settings()
    assert settings.database_kind == "postgresql"
    assert "s3cret-pw" not in repr(settings) and "s3cret-pw" not in str(settings.model_dump())


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYRANO_ALLOWED_HOSTS", "cyrano.firm.example, 127.0.0.1:*")
    assert load_settings().allowed_hosts == ["cyrano.firm.example", "127.0.0.1:*"]


def test_a_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("CYRANO_LOG_LEVEL=DEBUG\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_settings().log_level == "DEBUG"


def test_a_redis_url_is_checked_and_stays_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYRANO_REDIS_URL", "redis://:r3dis-pw@cache.internal:6379/0")
    settings = load_settings()
    assert settings.redis_url is not None and "r3dis-pw" not in repr(settings)
    monkeypatch.setenv("CYRANO_REDIS_URL", "http://cache.internal")
    with pytest.raises(ConfigError, match="CYRANO_REDIS_URL: must start with redis://"):
        load_settings()
