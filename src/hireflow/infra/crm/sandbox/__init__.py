"""Local CRM sandboxes: FastAPI apps that speak Bullhorn's, HubSpot's and Salesforce's HTTP protocols.

Each sandbox serves deterministic, realistic recruiting data at any size (records are generated lazily from
``(seed, id)``), lets tests modify and delete records between runs through ``/_sandbox/`` control endpoints, and
injects faults (rate limits, server errors, slow and truncated responses, expiring tokens) by request count.

The pure core is importable without the ``server`` extra::

    from hireflow.infra.crm.sandbox import FaultPlan, SandboxConfig

The apps and the runner need FastAPI and uvicorn: ``hireflow.infra.crm.sandbox.bullhorn.create_bullhorn_sandbox``
(likewise ``hubspot``, ``salesforce``) and ``hireflow.infra.crm.sandbox.runner.running_sandbox``.
See docs/crm-sandboxes.md.
"""

from hireflow.infra.crm.sandbox.config import Credentials, EntityKind, PageCaps, SandboxConfig
from hireflow.infra.crm.sandbox.faults import FaultKind, FaultPlan, FaultRule, parse_faults

__all__ = [
    "Credentials",
    "EntityKind",
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "PageCaps",
    "SandboxConfig",
    "parse_faults",
]
