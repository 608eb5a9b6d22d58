"""What every CRM connector takes from the settings: its credentials, whose absence is reported only when the
CRM is first called (parsing, which retrying dead letters needs, works without them), and its retry policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from hireflow.infra.crm.http import RetryPolicy
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError

CredentialsT = TypeVar("CredentialsT")


def deferred(
    build: Callable[[Settings], CredentialsT], settings: Settings
) -> CredentialsT | ConfigurationError:
    """``build(settings)``, or the ConfigurationError it raised, kept for :func:`require`."""
    try:
        return build(settings)
    except ConfigurationError as missing:
        return missing


def require(credentials: CredentialsT | ConfigurationError) -> CredentialsT:
    """The credentials, or the ConfigurationError naming the missing settings when the CRM is called."""
    if isinstance(credentials, ConfigurationError):
        raise credentials
    return credentials


def retry_policy(settings: Settings) -> RetryPolicy:
    """Retries as ``HIREFLOW_CRM_MAX_ATTEMPTS`` and ``HIREFLOW_CRM_MAX_WAIT_SECONDS`` say."""
    return RetryPolicy(max_attempts=settings.crm_max_attempts, max_wait=settings.crm_max_wait_seconds)
