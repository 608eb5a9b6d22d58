"""The funnel analytics cache: one computation per tenant, report and parameters, until invalidated."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from pydantic import BaseModel, TypeAdapter

from hireflow.domain.services.funnel_cache import GENERATION_TTL_SECONDS, FunnelAnalyticsCache


class Report(BaseModel):
    total: int


REPORT = TypeAdapter(Report)
CG, OTHER = 1, 2


class FakeCache:
    """A dict behind the Cache port that remembers TTLs, can forget keys, and can be made to fail."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[bytes, int | None]] = {}
        self.failing = False

    def get(self, key: str) -> bytes | None:
        self._maybe_fail()
        entry = self.entries.get(key)
        return None if entry is None else entry[0]

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        self._maybe_fail()
        self.entries[key] = (value, ttl_seconds)

    def incr(self, key: str) -> int:
        self._maybe_fail()
        count = int(self.entries.get(key, (b"0", None))[0]) + 1
        self.entries[key] = (str(count).encode(), None)
        return count

    def forget(self, predicate: Callable[[str], bool]) -> None:
        """What any cache may do at any time: drop keys (eviction, a restart)."""
        for key in [key for key in self.entries if predicate(key)]:
            del self.entries[key]

    def _maybe_fail(self) -> None:
        if self.failing:
            raise ConnectionError("cache down")


class Counter:
    """A compute function returning a new total on every call, so a cached answer can be told apart."""

    def __init__(self) -> None:
        self.calls = itertools.count(1)
        self.last = 0

    def __call__(self) -> Report:
        self.last = next(self.calls)
        return Report(total=self.last)


@pytest.fixture
def store() -> FakeCache:
    return FakeCache()


@pytest.fixture
def cache(store: FakeCache) -> FunnelAnalyticsCache:
    return FunnelAnalyticsCache(store, ttl_seconds=300)


def ask(cache: FunnelAnalyticsCache, compute: Callable[[], Report], cg: int = CG, **params: object) -> int:
    return cache.get_or_compute(cg, "buckets", params, compute, REPORT).total


def test_an_answer_is_computed_once_then_served_from_the_cache(
    cache: FunnelAnalyticsCache, store: FakeCache
) -> None:
    compute = Counter()

    assert ask(cache, compute, role_id=3, location_id=None) == 1
    assert ask(cache, compute, location_id=None, role_id=3) == 1  # parameter order does not matter
    assert compute.last == 1
    answers = [(value, ttl) for key, (value, ttl) in store.entries.items() if ":buckets:" in key]
    assert answers == [(b'{"total":1}', 300)]


def test_reports_parameters_and_tenants_each_have_their_own_answer(cache: FunnelAnalyticsCache) -> None:
    compute = Counter()

    assert ask(cache, compute) == 1
    assert ask(cache, compute, role_id=3) == 2
    assert ask(cache, compute, cg=OTHER) == 3
    assert cache.get_or_compute(CG, "sources", {}, compute, REPORT).total == 4
    assert [ask(cache, compute), ask(cache, compute, role_id=3), ask(cache, compute, cg=OTHER)] == [1, 2, 3]


def test_invalidating_a_tenant_forgets_its_answers_only(cache: FunnelAnalyticsCache) -> None:
    compute = Counter()
    ask(cache, compute)
    ask(cache, compute, cg=OTHER)

    cache.invalidate(CG)

    assert ask(cache, compute) == 3
    assert ask(cache, compute) == 3
    assert ask(cache, compute, cg=OTHER) == 2


def test_an_answer_computed_while_an_invalidation_lands_is_not_served(cache: FunnelAnalyticsCache) -> None:
    compute = Counter()

    def racing() -> Report:
        answer = compute()  # read the data...
        cache.invalidate(CG)  # ...then a transition commits and invalidates
        return answer

    assert ask(cache, racing) == 1
    assert ask(cache, compute) == 2  # the answer from before the transition is not served


def test_a_forgotten_generation_never_brings_back_older_answers(
    cache: FunnelAnalyticsCache, store: FakeCache
) -> None:
    compute = Counter()
    ask(cache, compute)  # answer 1, then a transition
    cache.invalidate(CG)
    ask(cache, compute)  # answer 2 is current

    store.forget(lambda key: key.endswith(":generation"))  # evicted, while answer 1 is still cached

    assert ask(cache, compute) == 3  # a counter restarting at its first value would serve answer 1
    assert ask(cache, compute) == 3


def test_invalidating_before_any_answer_and_then_forgetting_is_safe(
    cache: FunnelAnalyticsCache, store: FakeCache
) -> None:
    compute = Counter()
    cache.invalidate(CG)
    ask(cache, compute)
    store.forget(lambda key: key.endswith(":generation"))
    cache.invalidate(CG)

    assert ask(cache, compute) == 2
    ttls = [ttl for key, (_, ttl) in store.entries.items() if key.endswith(":generation")]
    assert ttls == [GENERATION_TTL_SECONDS]


def test_a_zero_ttl_turns_caching_off(store: FakeCache) -> None:
    cache, compute = FunnelAnalyticsCache(store, ttl_seconds=0), Counter()

    assert [ask(cache, compute), ask(cache, compute)] == [1, 2]
    assert store.entries == {}


def test_a_failing_cache_costs_speed_not_answers(cache: FunnelAnalyticsCache, store: FakeCache) -> None:
    compute = Counter()
    store.failing = True

    assert [ask(cache, compute), ask(cache, compute)] == [1, 2]
    cache.invalidate(CG)  # logged, not raised
    store.failing = False
    assert ask(cache, compute) == 3
    assert ask(cache, compute) == 3


def test_a_cache_that_fails_only_on_write_still_answers(
    cache: FunnelAnalyticsCache, store: FakeCache
) -> None:
    compute = Counter()
    ask(cache, compute)  # the generation exists now
    writes_fail = FakeCache()
    writes_fail.entries = store.entries

    def refuse(key: str, value: bytes, ttl_seconds: int) -> None:
        raise ConnectionError("read-only replica")

    writes_fail.set = refuse  # type: ignore[method-assign]
    reader = FunnelAnalyticsCache(writes_fail, ttl_seconds=300)

    assert reader.get_or_compute(CG, "conversion", {}, compute, REPORT).total == 2
    assert reader.get_or_compute(CG, "buckets", {}, compute, REPORT).total == 1  # reads still work


def test_an_unreadable_entry_is_recomputed_and_overwritten(
    cache: FunnelAnalyticsCache, store: FakeCache
) -> None:
    compute = Counter()
    ask(cache, compute)
    for key, (_, ttl) in list(store.entries.items()):
        if ":buckets:" in key:
            store.entries[key] = (b'{"rows": "written by an older version"}', ttl)

    assert ask(cache, compute) == 2
    assert ask(cache, compute) == 2


def test_a_failing_computation_propagates_and_stores_nothing(
    cache: FunnelAnalyticsCache, store: FakeCache
) -> None:
    def broken() -> Report:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        ask(cache, broken)
    assert not [key for key in store.entries if ":buckets:" in key]
    assert ask(cache, Counter()) == 1


def test_generations_come_from_the_given_factory(store: FakeCache) -> None:
    tokens = iter(["g1", "g2"])
    cache = FunnelAnalyticsCache(store, ttl_seconds=60, prefix="t", new_generation=lambda: next(tokens))

    ask(cache, Counter())
    cache.invalidate(CG)

    assert store.entries["t:1:generation"][0] == b"g2"
    assert [key.split(":")[2] for key in store.entries if ":buckets:" in key] == ["g1"]
