"""A small HTTP load generator for loopback benchmarks: keep-alive connections, one per thread, in a few
processes (so the client is not held back by one GIL). Records every request's latency and status."""

from __future__ import annotations

import http.client
import multiprocessing
import random
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    """What one load run measured."""

    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    p50_ms: float | None = None  # given by wrk, which reports percentiles rather than every latency
    p99_ms: float | None = None

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        given = {0.5: self.p50_ms, 0.99: self.p99_ms}.get(share)
        if given is not None:
            return given
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def describe(self) -> str:
        return (
            f"{self.throughput:8.0f} req/s   p50 {self.percentile(0.5):6.2f} ms   "
            f"p99 {self.percentile(0.99):6.2f} ms   {self.requests} requests, {self.errors} errors"
        )


def run_load(
    port: int, paths: list[str], headers: dict[str, str], seconds: float, processes: int, threads: int
) -> LoadResult:
    """GET random ``paths`` on 127.0.0.1:``port`` for ``seconds`` from ``processes`` x ``threads`` connections."""
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        parts = pool.starmap(
            _process, [(port, paths, headers, seconds, threads, n) for n in range(processes)]
        )
    return LoadResult(
        requests=sum(p[0] for p in parts),
        errors=sum(p[1] for p in parts),
        seconds=seconds,
        latencies_ms=[latency for p in parts for latency in p[2]],
    )


def _process(
    port: int, paths: list[str], headers: dict[str, str], seconds: float, threads: int, seed: int
) -> tuple[int, int, list[float]]:
    results: list[tuple[int, int, list[float]]] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        done = errors = 0
        latencies: list[float] = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", rng.choice(paths), headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            latencies.append((time.perf_counter() - start) * 1000)
            done += 1
            errors += 0 if ok else 1
        connection.close()
        with lock:
            results.append((done, errors, latencies))

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return (
        sum(r[0] for r in results),
        sum(r[1] for r in results),
        [latency for r in results for latency in r[2]],
    )


def median_of(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
