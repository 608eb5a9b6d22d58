"""What each CRM module tells the shared machinery: its entity names, ids, record shapes and fault responses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from hireflow.infra.crm.sandbox.config import EntityKind
from hireflow.infra.crm.sandbox.faults import FaultKind, FaultRule
from hireflow.infra.crm.sandbox.records import Record
from hireflow.infra.crm.sandbox.state import SandboxState


@dataclass(frozen=True)
class CrmProfile:
    """One CRM's protocol details, as the control API and the fault middleware need them."""

    name: str
    entities: Mapping[str, EntityKind]
    """The CRM's entity names (``Candidate``, ``contacts``, ``Contact``) and what they hold."""
    hard_delete: frozenset[EntityKind]
    """Entities whose deletion purges the record (Bullhorn's Placement, ClientCorporation); others flag it."""
    anonymizable: frozenset[EntityKind]
    external_id: Callable[[EntityKind, int], int | str]
    parse_id: Callable[[EntityKind, str], int | None]
    render: Callable[[EntityKind, Record], dict[str, Any]]
    """The full record as the CRM would return it with every field asked for."""
    is_data_path: Callable[[str], bool]
    fault_response: Callable[[FaultRule, SandboxState], Response]
    """The CRM's own answer for a 429, 500 or 503 fault."""
    redirect_prefix: str | None = None
    """Where ``redirect`` faults send clients (another data center); None when the CRM has none."""

    def entity(self, name: str) -> tuple[str, EntityKind] | None:
        """The entity called ``name`` (case-insensitively), with its proper spelling."""
        for known, kind in self.entities.items():
            if known.lower() == name.lower():
                return known, kind
        return None

    def unsupported_faults(self, kinds: frozenset[FaultKind]) -> list[str]:
        """Planned fault kinds this CRM cannot inject."""
        if self.redirect_prefix is None and FaultKind.REDIRECT in kinds:
            return [f"{FaultKind.REDIRECT.value} (only Bullhorn has data centers to redirect to)"]
        return []
