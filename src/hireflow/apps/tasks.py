"""Hireflow's background tasks: the registry that API processes submit to and ``hireflow worker`` runs.

Every process builds it with :func:`hireflow_tasks`, so an API process and a worker agree on task names.
"""

from __future__ import annotations

import time
from typing import Any

from hireflow.domain.ports.background_jobs import TaskCancelled, TaskContext
from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.domain.services.workforce_runs import CHUNK_TASK
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.types import JSONValue

MAX_SLEEP_SECONDS = 60.0
"""A smoke test needs seconds, not hours; longer sleeps would only hold a worker thread hostage."""
_SLEEP_STEPS = 20


def hireflow_tasks() -> TaskRegistry:
    """A new registry holding every Hireflow task: the built-in ``echo`` and ``sleep``, and the chunks of
    workforce simulations."""
    registry = TaskRegistry()
    registry.register("echo", echo)
    registry.register("sleep", sleep)
    registry.register(CHUNK_TASK, simulate_chunk)
    registry.register(SYNC_TASK, crm_sync)
    return registry


def simulate_chunk(context: TaskContext, simulation_id: int, chunk: int) -> dict[str, JSONValue]:
    """Run chunk ``chunk`` of simulation ``simulation_id`` of the job's company group (see
    :class:`~hireflow.domain.services.workforce_runs.SimulationChunks`)."""
    from hireflow.apps.workforce import simulation_chunks

    company_group_id = context.company_group_id
    if company_group_id is None:
        raise ValidationFailed(
            "a simulation chunk runs for a company group; submit it with company_group_id",
            [{"field": "company_group_id", "message": "missing"}],
        )

    def cancelled() -> bool:
        return context.cancelled

    def report(done: float) -> None:
        context.report(done, f"chunk {chunk}: {done:.0%}")

    return simulation_chunks().run(company_group_id, simulation_id, chunk, cancelled=cancelled, report=report)


SYNC_TASK = "crm.sync"
"""The background task that syncs one CRM into the job's company group."""


def crm_sync(
    context: TaskContext, source: str, entities: list[str] | None = None, full: bool = False
) -> dict[str, JSONValue]:
    """Sync ``source`` into the job's company group (see :func:`hireflow.apps.crm.run_sync`); the run's
    summary. Progress is the share of the entities done, refined by each entity's pages."""
    from hireflow.apps.crm import parse_entities, run_summary, run_sync
    from hireflow.domain.services.crm_sync import SyncCancelled, SyncProgress
    from hireflow.infra.db.session import SessionLocal
    from hireflow.shared.config import get_settings

    company_group_id = context.company_group_id
    if company_group_id is None:
        raise ValidationFailed(
            "a CRM sync runs for a company group; submit it with company_group_id",
            [{"field": "company_group_id", "message": "missing"}],
        )
    chosen = parse_entities(",".join(entities) if entities else None)

    def report(update: SyncProgress) -> None:
        share = min(update.counts.fetched / update.total, 1.0) if update.total else 0.0
        progress = min((update.position - 1 + share) / update.of, 0.99)
        context.report(progress, f"{update.entity.value}: {update.counts.fetched:,} fetched")

    try:
        run = run_sync(
            source,
            company_group_id,
            settings=get_settings(),
            session_factory=SessionLocal,
            entities=chosen,
            full=full,
            progress=report,
            should_stop=lambda: context.cancelled,
        )
    except SyncCancelled as stopped:
        raise TaskCancelled(str(stopped)) from None
    summary: dict[str, JSONValue] = run_summary(run)
    return summary


def echo(context: TaskContext, **arguments: JSONValue) -> dict[str, JSONValue]:
    """Return the arguments unchanged: a smoke test that a worker is consuming the queue."""
    context.report(1.0, "echoed")
    return dict(arguments)


def sleep(context: TaskContext, seconds: float) -> dict[str, Any]:
    """Sleep ``seconds`` (at most an hour) in small steps, reporting progress and stopping when cancelled."""
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not 0 <= seconds <= MAX_SLEEP_SECONDS
    ):
        raise ValidationFailed(
            f"seconds must be between 0 and {MAX_SLEEP_SECONDS:g}, got {seconds!r}",
            [{"field": "seconds", "message": "out of range", "input": seconds}],
        )
    step = seconds / _SLEEP_STEPS
    started = time.monotonic()
    for done in range(1, _SLEEP_STEPS + 1):
        if context.cancelled:
            return {"slept": round(time.monotonic() - started, 3), "cancelled": True}
        time.sleep(step)
        context.report(done / _SLEEP_STEPS, f"slept {done * step:.1f} of {seconds:g}s")
    return {"slept": round(time.monotonic() - started, 3), "cancelled": False}
