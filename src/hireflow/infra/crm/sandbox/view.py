"""One query's matching records in one order, addressable by position without materialising them.

The matches are the merge of two sorted sequences:

* base records that were never changed, whose ids fall in a few intervals (a modification-time bound is an id
  bound, because base timestamps never decrease with the id), minus the changed and purged ids;
* changed and created records (the overrides), filtered and sorted in memory; there are few of them.

Both sequences are sorted by the order's key, so the k-th match is found by binary search on how many of the
first k come from each, and a page costs O(log n) plus the records on it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence

from hireflow.infra.crm.sandbox.criteria import Key, SortKey, sort_key
from hireflow.infra.crm.sandbox.records import Record

Interval = tuple[int, int]  # [low, high) of base ids


class View:
    """The records of one entity that match ``query``, ascending by ``key``."""

    def __init__(
        self,
        *,
        intervals: Sequence[Interval],
        excluded: Sequence[int],
        extra: Sequence[Record],
        key: SortKey,
        base_key: Callable[[int], Key],
        base_record: Callable[[int], Record],
        base_count: int,
    ) -> None:
        self._intervals = list(intervals)
        self._excluded = excluded
        self._key = key
        self._base_key = base_key
        self._base_record = base_record
        self._base_count = base_count
        self._extra = sorted(extra, key=lambda record: sort_key(record, key))
        self._extra_keys = [sort_key(record, key) for record in self._extra]
        self._starts: list[int] = []
        size = 0
        for low, high in self._intervals:
            self._starts.append(size)
            size += self._live_between(low, high)
        self._base_size = size
        self.total = size + len(self._extra)

    # -- paging ------------------------------------------------------------------------------------------------
    def page(self, start: int, count: int, *, descending: bool = False) -> list[Record]:
        """``count`` matches from position ``start`` (0-based) in the view's order, or in reverse."""
        if count <= 0 or start >= self.total:
            return []
        if not descending:
            return self._slice(start, min(count, self.total - start))
        high = self.total - start
        low = max(0, high - count)
        return self._slice(low, high - low)[::-1]

    def after(self, key: Key, count: int, *, descending: bool = False) -> list[Record]:
        """Up to ``count`` matches strictly after ``key`` in the view's order (a keyset page)."""
        if descending:
            high = self.rank(key, inclusive=False)
            low = max(0, high - count)
            return self._slice(low, high - low)[::-1]
        start = self.rank(key, inclusive=True)
        return self._slice(start, max(0, min(count, self.total - start)))

    def rank(self, key: Key, *, inclusive: bool) -> int:
        """How many matches sort before ``key`` (or at it, when ``inclusive``)."""
        # The largest base id whose key is <= (or <) ``key``: keys grow with the id, so bisect the ids.
        low, high = 0, self._base_count
        while low < high:
            middle = (low + high + 1) // 2
            middle_key = self._base_key(middle)
            if middle_key < key or (inclusive and middle_key == key):
                low = middle
            else:
                high = middle - 1
        base = 0
        for interval_low, interval_high in self._intervals:
            if low < interval_low:
                break
            base += self._live_between(interval_low, min(interval_high, low + 1))
        extra = (bisect_right if inclusive else bisect_left)(self._extra_keys, key)
        return base + extra

    # -- internals ---------------------------------------------------------------------------------------------
    def _slice(self, start: int, count: int) -> list[Record]:
        if count <= 0:
            return []
        from_base = self._split(start)
        ids = self._base_ids_from(from_base)
        extra, extra_keys, position = self._extra, self._extra_keys, start - from_base
        result: list[Record] = []
        next_id = next(ids, None)
        while len(result) < count:
            if next_id is None or (position < len(extra) and extra_keys[position] < self._base_key(next_id)):
                if position >= len(extra):
                    break
                result.append(extra[position])
                position += 1
            else:
                result.append(self._base_record(next_id))
                next_id = next(ids, None)
        return result

    def _split(self, position: int) -> int:
        """How many of the first ``position`` matches are base records (the rest are overrides)."""
        extra_keys = self._extra_keys
        low = max(0, position - len(extra_keys))
        high = min(position, self._base_size)
        while low < high:
            middle = (low + high) // 2
            if self._base_key(self._base_id(middle)) < extra_keys[position - middle - 1]:
                low = middle + 1
            else:
                high = middle
        return low

    def _live_between(self, low: int, high: int) -> int:
        """Base ids in ``[low, high)`` that are neither changed nor purged."""
        if high <= low:
            return 0
        excluded = self._excluded
        return high - low - (bisect_left(excluded, high) - bisect_left(excluded, low))

    def _base_id(self, index: int) -> int:
        """The id of the ``index``-th unchanged base match."""
        interval = bisect_right(self._starts, index) - 1
        low = self._intervals[interval][0]
        offset = index - self._starts[interval]
        excluded = self._excluded
        first = bisect_left(excluded, low)
        # The smallest x with exactly ``offset`` live ids in [low, x): iterate x = low + offset + excluded(<= x).
        candidate = low + offset
        while True:
            shifted = low + offset + bisect_right(excluded, candidate) - first
            if shifted == candidate:
                return candidate
            candidate = shifted

    def _base_ids_from(self, index: int) -> Iterator[int]:
        if index >= self._base_size:
            return
        excluded = self._excluded
        current = self._base_id(index)
        interval = bisect_right(self._starts, index) - 1
        skip = bisect_right(excluded, current)
        while interval < len(self._intervals):
            high = self._intervals[interval][1]
            while current < high:
                if skip < len(excluded) and excluded[skip] == current:
                    skip += 1
                else:
                    yield current
                current += 1
            interval += 1
            if interval < len(self._intervals):
                current = self._intervals[interval][0]
                skip = bisect_left(excluded, current)
