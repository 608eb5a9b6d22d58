"""When base records were added and last modified: non-decreasing in id, with deliberate ties.

Records come in blocks of four. Blocks are spread evenly over the history window; inside a block the four
timestamps follow one of a few patterns, some with all four equal, some with two or three equal. So ordering
by ``(modified, id)`` is the same as ordering by id for base records, and cursors that compare timestamps alone
meet ties. The functions are O(1), so the first record modified after an instant is a binary search.
"""

from __future__ import annotations

from hireflow.infra.crm.sandbox.draws import hash_ints, mix64

TIE_BLOCK = 4
_PATTERNS: tuple[tuple[int, int, int, int], ...] = (
    (0, 0, 0, 0),
    (0, 1, 2, 3),
    (0, 0, 1, 2),
    (0, 1, 1, 1),
    (0, 1, 2, 3),
    (0, 0, 0, 1),
    (0, 1, 2, 3),
)
_MAX_AGE_DAYS = 400
_DAY_MS = 86_400_000


class Timeline:
    """The base timestamps of one entity's ``count`` records over ``[start_ms, end_ms]``."""

    def __init__(self, *, start_ms: int, end_ms: int, count: int, seed: int, salt: int) -> None:
        self.count = count
        self._start = start_ms
        # Keys hashed once, so each timestamp costs one mix rather than one per seed part.
        self._block_key = hash_ints(seed, salt, 0xB10C)
        self._age_key = hash_ints(seed, salt, 0xADD)
        blocks = max(1, -(-count // TIE_BLOCK))
        self._width = max(8, (end_ms - start_ms) // blocks)

    def modified(self, record_id: int) -> int:
        """``dateLastModified`` of base record ``record_id`` (1-based): non-decreasing in the id."""
        block, position = divmod(record_id - 1, TIE_BLOCK)
        h = mix64(self._block_key ^ block)
        width = self._width
        jitter = h % (width // 2)
        step = 1 + (h >> 20) % (width // 8)
        pattern = _PATTERNS[(h >> 40) % len(_PATTERNS)]
        return self._start + block * width + jitter + pattern[position] * step

    def added(self, record_id: int, modified: int) -> int:
        """``dateAdded``: up to ~400 days before the last modification."""
        h = mix64(self._age_key ^ record_id)
        return modified - h % (_MAX_AGE_DAYS * _DAY_MS)

    def first_at_or_after(self, ms: int) -> int:
        """The smallest id whose ``modified`` is at or after ``ms`` (``count + 1`` when none is)."""
        low, high = 1, self.count + 1
        while low < high:
            middle = (low + high) // 2
            if self.modified(middle) >= ms:
                high = middle
            else:
                low = middle + 1
        return low

    def last_at_or_before(self, ms: int) -> int:
        """The largest id whose ``modified`` is at or before ``ms`` (0 when none is)."""
        return self.first_at_or_after(ms + 1) - 1
