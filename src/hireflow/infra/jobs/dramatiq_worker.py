"""Run Dramatiq workers for :class:`DramatiqJobRunner` jobs until SIGINT or SIGTERM: one process, or several.

One process runs a ``dramatiq.Worker`` (a pool of threads) in place. Several are spawned as child processes,
each with its own runner and worker (a Redis connection must not cross a fork); the parent forwards a stop
signal to them and waits. A graceful stop lets running jobs finish for up to ``stop_timeout`` seconds; a second
signal stops at once. A job still running then is left unacknowledged, and Redis delivers it again later.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Literal

from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.infra.jobs.dramatiq_runner import DEFAULT_KEY_PREFIX, DramatiqJobRunner
from hireflow.shared.errors import HireflowError
from hireflow.shared.logging import configure_logging, get_logger

try:
    import dramatiq
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    from hireflow.shared.errors import MissingExtraError

    raise MissingExtraError("jobs", "the Dramatiq worker") from exc

log = get_logger(__name__)

RegistryFactory = Callable[[], TaskRegistry]
"""Builds the task registry in each worker process; a module-level function, so a child can import it."""

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_STOP_NOW = b"second stop signal: stopping now; jobs still running will be delivered again\n"
_TICK = 0.1  # how often the waiting loops look at the stop flag and at the children


@dataclass(frozen=True)
class WorkerOptions:
    """What a worker process needs to know; plain values, so it can be handed to a spawned child."""

    redis_url: str
    queue_name: str
    threads: int = 4
    key_prefix: str = DEFAULT_KEY_PREFIX
    stop_timeout: float = 30.0
    log_level: str = "INFO"
    log_format: Literal["auto", "console", "json"] = "auto"


def run_workers(options: WorkerOptions, registry_factory: RegistryFactory, processes: int = 1) -> None:
    """Consume ``options.queue_name`` until SIGINT/SIGTERM, in this process or in ``processes`` children.

    Redis is checked first (ServiceUnavailable in one line); a child that dies stops the others and raises.
    """
    if processes < 1 or options.threads < 1:
        raise ValueError("processes and threads must be at least 1")
    with _runner(options, registry_factory) as runner:
        runner.ping()
    if processes == 1:
        _run_worker(options, registry_factory)
    else:
        _supervise(options, registry_factory, processes)


def _run_worker(
    options: WorkerOptions, registry_factory: RegistryFactory, signals: tuple[int, ...] = _STOP_SIGNALS
) -> None:
    """One ``dramatiq.Worker`` with ``options.threads`` threads, stopped gracefully on one of ``signals``."""
    with _runner(options, registry_factory) as runner:
        worker = dramatiq.Worker(runner.broker, worker_threads=options.threads, queues={options.queue_name})
        with _stop_requested(signals) as stopped:
            worker.start()
            log.info("worker started", queue=options.queue_name, threads=options.threads)
            while not stopped():
                time.sleep(_TICK)
            log.info("worker stopping: waiting for running jobs", timeout_seconds=options.stop_timeout)
            worker.stop(timeout=int(options.stop_timeout * 1000))
        log.info("worker stopped", queue=options.queue_name)


def _runner(options: WorkerOptions, registry_factory: RegistryFactory) -> DramatiqJobRunner:
    return DramatiqJobRunner(
        registry_factory(),
        redis_url=options.redis_url,
        queue_name=options.queue_name,
        key_prefix=options.key_prefix,
    )


def _supervise(options: WorkerOptions, registry_factory: RegistryFactory, processes: int) -> None:
    """Spawn ``processes`` workers; on a stop signal or a dead child, stop them all and wait."""
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=_child, args=(options, registry_factory), name=f"hireflow-worker-{n}")
        for n in range(1, processes + 1)
    ]

    def kill_all() -> None:
        for child in children:
            if child.pid is not None:
                child.kill()  # SIGKILL, unless the child was already reaped (its pid may be reused)

    with _stop_requested(_STOP_SIGNALS, at_once=kill_all) as stopped:
        for child in children:
            child.start()
        log.info("workers started", processes=processes, queue=options.queue_name, threads=options.threads)
        while not stopped() and all(child.is_alive() for child in children):
            time.sleep(_TICK)
        dead = [child for child in children if not child.is_alive()]
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: a graceful stop
        for child in children:
            child.join(options.stop_timeout + 10)
            if child.is_alive():
                log.warning("worker did not stop in time; killing it", pid=child.pid)
                child.kill()
                child.join()
    if dead and not stopped():
        codes = ", ".join(f"{child.name} exited with {child.exitcode}" for child in dead)
        raise HireflowError(f"a worker process stopped unexpectedly ({codes}); the others were stopped")
    log.info("workers stopped", processes=processes)


def _child(options: WorkerOptions, registry_factory: RegistryFactory) -> None:
    """The body of a spawned worker process: fresh logging, one worker, exit code 0 after a graceful stop."""
    # Ctrl+C reaches every process of the terminal's group; the parent turns it into the SIGTERM it sends
    # here, so a child only listens to that (else one Ctrl+C would count twice and stop it at once).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure_logging(options.log_level, options.log_format)
    try:
        _run_worker(options, registry_factory, signals=(signal.SIGTERM,))
    except HireflowError as exc:
        log.error("worker failed", error=str(exc))
        raise SystemExit(exc.exit_code) from None


@contextmanager
def _stop_requested(
    signals: tuple[int, ...], at_once: Callable[[], None] | None = None
) -> Iterator[Callable[[], bool]]:
    """While inside, a first stop signal sets a flag (read through the yielded function); a second one runs
    ``at_once`` and ends the process immediately, as an operator pressing Ctrl+C twice expects."""
    received: list[int] = []

    def handle(signum: int, _frame: FrameType | None) -> None:
        # No logging here: a signal handler must not take locks the interrupted code may hold.
        if received:
            if at_once is not None:
                at_once()
            os.write(2, _STOP_NOW)
            os._exit(128 + signum)
        received.append(signum)

    previous = {signum: signal.signal(signum, handle) for signum in signals}
    try:
        yield lambda: bool(received)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
