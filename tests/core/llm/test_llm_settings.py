"""The model settings: vendor variables under their usual names, keys kept secret, redaction kinds."""

import pytest

from cyrano_mcp.errors import ConfigError
from cyrano_mcp.settings import load_settings


def test_vendor_settings_are_read_from_their_usual_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-usual-openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-usual")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "https://proxy.example/anthropic")
    monkeypatch.setenv("CYRANO_LLM_PROVIDER", "anthropic")

    settings = load_settings()

    assert settings.openai_api_key is not None and settings.openai_api_key.get_secret_value() == "sk-usual-openai"
    assert settings.openai_base_url == "http://127.0.0.1:11434/v1"
    assert settings.anthropic_api_key is not None and settings.anthropic_api_key.get_secret_value() == "sk-ant-usual"
    assert settings.anthropic_base_url == "https://proxy.example/anthropic"
    assert settings.llm_provider == "anthropic"


def test_defaults_need_no_key_and_mask_everything() -> None:
    settings = load_settings()

    assert (settings.llm_provider, settings.openai_api_key, settings.anthropic_api_key) == ("auto", None, None)
    assert settings.llm_redact == ["ssn", "card", "bank_account"]
    assert (settings.llm_timeout_seconds, settings.llm_max_attempts, settings.llm_cache_size) == (60.0, 3, 256)


def test_keys_are_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-printed")

    settings = load_settings()

    for rendering in (repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert "sk-never-printed" not in rendering


def test_a_blank_key_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "  ")

    assert load_settings().openai_api_key is None


def test_a_bad_setting_names_the_variable_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "api.anthropic.com")
    monkeypatch.setenv("CYRANO_LLM_REDACT", "ssn,passport")

    with pytest.raises(ConfigError) as caught:
        load_settings()

    assert "ANTHROPIC_BASE_URL: must start with http:// or https://" in str(caught.value)
    assert "CYRANO_LLM_REDACT.1: Input should be 'ssn', 'card' or 'bank_account'" in str(caught.value)


@pytest.mark.parametrize(
    ("value", "kinds"), [("card", ["card"]), ("ssn, bank_account", ["ssn", "bank_account"]), ("", [])]
)
def test_redaction_kinds_are_comma_separated_and_empty_turns_masking_off(
    monkeypatch: pytest.MonkeyPatch, value: str, kinds: list[str]
) -> None:
    monkeypatch.setenv("CYRANO_LLM_REDACT", value)

    assert load_settings().llm_redact == kinds
