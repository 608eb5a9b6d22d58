"""The domain error hierarchy.

Every error Hireflow raises on purpose derives from :class:`HireflowError`. The API maps each class once to an
RFC 9457 problem document (``type``/``status`` below); the CLI prints ``str(error)`` on one line and exits with
``exit_code``. Messages name the problem and, where there is one, the fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


class HireflowError(Exception):
    """Base of every deliberate Hireflow error."""

    type: ClassVar[str] = "about:blank"
    title: ClassVar[str] = "Hireflow error"
    status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1

    def __init__(self, detail: str, **context: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.context: dict[str, Any] = context

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers a response for this error must carry (``WWW-Authenticate``, ``Retry-After``)."""
        return {}


class ConfigurationError(HireflowError):
    """A setting is missing or malformed, or the environment lacks something Hireflow needs."""

    type = "https://hireflow.dev/problems/configuration"
    title = "Configuration error"
    status = 500
    exit_code = 78  # EX_CONFIG


class MissingExtraError(ConfigurationError):
    """An optional feature was used without its extra installed."""

    def __init__(self, extra: str, feature: str) -> None:
        super().__init__(f"{feature} needs the '{extra}' extra: pip install 'hireflow[{extra}]'", extra=extra)
        self.extra = extra


class ServiceUnavailable(HireflowError):
    """A backing service (database, cache, broker, external API) cannot be reached."""

    type = "https://hireflow.dev/problems/service-unavailable"
    title = "Service unavailable"
    status = 503
    exit_code = 69  # EX_UNAVAILABLE


class NotFound(HireflowError):
    """The entity does not exist, or belongs to another tenant (the two are indistinguishable on purpose)."""

    type = "https://hireflow.dev/problems/not-found"
    title = "Not found"
    status = 404

    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"{entity} {key!r} was not found", entity=entity, key=key)
        self.entity = entity
        self.key = key


class Conflict(HireflowError):
    """The change contradicts what is stored (a duplicate key, a concurrent update, data already present)."""

    type = "https://hireflow.dev/problems/conflict"
    title = "Conflict"
    status = 409


class ValidationFailed(HireflowError):
    """Input broke one or more rules. ``errors`` lists every offending field, not only the first."""

    type = "https://hireflow.dev/problems/validation"
    title = "Validation failed"
    status = 422

    def __init__(self, detail: str, errors: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__(detail, errors=list(errors))
        self.errors: list[dict[str, Any]] = [dict(e) for e in errors]


class InvalidTransition(HireflowError):
    """A funnel move that the state machine does not allow."""

    type = "https://hireflow.dev/problems/invalid-transition"
    title = "Invalid funnel transition"
    status = 409

    def __init__(self, from_state: str, to_state: str, allowed: Sequence[str]) -> None:
        allowed_text = ", ".join(sorted(allowed)) or "none (final state)"
        super().__init__(
            f"cannot move a candidate from '{from_state}' to '{to_state}'; allowed from '{from_state}': "
            f"{allowed_text}",
            from_state=from_state,
            to_state=to_state,
            allowed=sorted(allowed),
        )
        self.from_state = from_state
        self.to_state = to_state
        self.allowed = sorted(allowed)


class PermissionDenied(HireflowError):
    """The caller is known but may not do this."""

    type = "https://hireflow.dev/problems/permission-denied"
    title = "Permission denied"
    status = 403


class AuthenticationFailed(HireflowError):
    """The caller could not be identified. The message is deliberately generic."""

    type = "https://hireflow.dev/problems/authentication"
    title = "Authentication failed"
    status = 401

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class RateLimited(HireflowError):
    """Too many requests from one client; try again after ``retry_after`` seconds."""

    type = "https://hireflow.dev/problems/rate-limited"
    title = "Too many requests"
    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = max(1, retry_after)

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class MigrationFailed(HireflowError):
    """A schema migration failed; it was rolled back and the database is at the revision it had before."""

    type = "https://hireflow.dev/problems/migration-failed"
    title = "Migration failed"
    status = 500
    exit_code = 70  # EX_SOFTWARE
