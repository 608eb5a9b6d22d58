"""Everything one running sandbox knows: its config, records, fault plan, issued tokens and counters."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hireflow.infra.crm.sandbox.config import SandboxConfig
from hireflow.infra.crm.sandbox.faults import FaultKind, FaultPlan, FaultRule
from hireflow.infra.crm.sandbox.store import RecordStore
from hireflow.infra.crm.sandbox.tokens import Token, TokenCheck, TokenStore


@dataclass
class SandboxStats:
    """Counters served by ``GET /_sandbox/stats``."""

    requests: int = 0
    data_requests: int = 0
    auth_failures: int = 0
    mutations: int = 0
    faults: Counter[str] = field(default_factory=Counter)


class SandboxState:
    """One sandbox's state, shared by its routes and middleware (on the server's event loop)."""

    def __init__(self, config: SandboxConfig, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.store = RecordStore(config)
        self.faults: FaultPlan = config.faults
        self.stats = SandboxStats()
        self.tokens = TokenStore(clock)
        self.clock = clock

    def next_data_request(self) -> FaultRule | None:
        """Count a data request; the fault planned for it, if any."""
        self.stats.data_requests += 1
        return self.faults.request_fault(self.stats.data_requests, self.config.seed)

    def count_fault(self, kind: FaultKind) -> None:
        self.stats.faults[kind.value] += 1

    def use_token(self, kind: str, value: str | None) -> tuple[TokenCheck, Token | None]:
        """Check and count a data request's token, applying the ``token-expiry`` fault."""
        if not value:
            self.stats.auth_failures += 1
            return TokenCheck.UNKNOWN, None
        status, token = self.tokens.use(kind, value, self.faults.token_uses)
        if status is TokenCheck.EXHAUSTED:
            self.count_fault(FaultKind.TOKEN_EXPIRY)
        if status is not TokenCheck.VALID:
            self.stats.auth_failures += 1
        return status, token

    def stats_document(self) -> dict[str, Any]:
        """The stats as JSON-ready data."""
        return {
            "requests": self.stats.requests,
            "data_requests": self.stats.data_requests,
            "auth_failures": self.stats.auth_failures,
            "mutations": self.stats.mutations,
            "faults": dict(sorted(self.stats.faults.items())),
            "tokens_issued": dict(sorted(self.tokens.issued.items())),
        }
