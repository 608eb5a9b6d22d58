"""Settings: defaults, environment and .env, validation errors that name the variable, masking, caching."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from hireflow.shared.config import Settings, get_settings, mask_url_password
from hireflow.shared.errors import ConfigurationError


def test_defaults_are_the_embedded_ones() -> None:
    settings = get_settings()
    assert settings.database_url == "sqlite:///./hireflow.db"
    assert settings.environment == "development"
    assert settings.redis_url is None


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIREFLOW_DATABASE_URL", "postgresql://app@db:5432/hireflow")
    monkeypatch.setenv("HIREFLOW_LOG_LEVEL", "debug")
    settings = get_settings()
    assert settings.database_url == "postgresql://app@db:5432/hireflow"
    assert settings.log_level == "DEBUG"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HIREFLOW_DATABASE_POOL_SIZE=12\n")
    assert get_settings().database_pool_size == 12


def test_settings_are_read_once_and_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    first = get_settings()
    monkeypatch.setenv("HIREFLOW_DATABASE_POOL_SIZE", "9")
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().database_pool_size == 9


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("HIREFLOW_DATABASE_URL", "mysql://root@localhost/db", "HIREFLOW_DATABASE_URL"),
        ("HIREFLOW_DATABASE_POOL_SIZE", "abc", "HIREFLOW_DATABASE_POOL_SIZE"),
        ("HIREFLOW_ENVIRONMENT", "prod", "HIREFLOW_ENVIRONMENT"),
    ],
)
def test_malformed_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        get_settings()
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


def test_placeholder_secret_refused_outside_development() -> None:
    Settings(environment="development").require_safe_secrets()
    with pytest.raises(ConfigurationError, match="HIREFLOW_SECRET_KEY"):
        Settings(environment="production").require_safe_secrets()
    Settings(environment="production", secret_key=SecretStr("x" * 48)).require_safe_secrets()


def test_masked_hides_secrets_and_url_passwords() -> None:
    settings = Settings(
        database_url="postgresql://app:hunter2@db/hireflow",
        secret_key=SecretStr("very-secret-value"),
        redis_url="redis://:redispw@cache:6379/0",
    )
    masked = settings.masked()
    text = repr(masked)
    assert "hunter2" not in text
    assert "very-secret-value" not in text
    assert "redispw" not in text
    assert masked["database_url"] == "postgresql://app:***@db/hireflow"


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("sqlite:///./hireflow.db", "sqlite:///./hireflow.db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgresql://u:p@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db"),
    ],
)
def test_mask_url_password(url: str, masked: str) -> None:
    assert mask_url_password(url) == masked
