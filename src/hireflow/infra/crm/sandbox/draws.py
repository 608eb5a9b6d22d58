"""Deterministic pseudo-randomness: every value is a pure function of integers, never of the process or clock.

``random.Random`` would do, but seeding one per record is slow. Single hashes use SplitMix64's finaliser; a
record's stream of choices is peeled with ``divmod`` off a 512-bit BLAKE2b digest of its ``(seed, salt, id)``.
Both give the same numbers on every platform and Python version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_REFILL_BELOW = 1 << 32  # below this the pool no longer holds enough entropy for one more draw


def mix64(value: int) -> int:
    """SplitMix64's finaliser: a well-spread 64-bit hash of ``value``."""
    x = (value + _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def hash_ints(*parts: int) -> int:
    """A 64-bit hash of a sequence of integers (order matters)."""
    h = 0
    for part in parts:
        h = mix64(h ^ (part & _MASK))
    return h


def unit_interval(*parts: int) -> float:
    """A number in [0, 1) fixed by ``parts``: the deterministic replacement for ``random.random()``."""
    return hash_ints(*parts) / 2.0**64


class Draws:
    """A stream of small random choices seeded by integers; the same parts give the same stream."""

    __slots__ = ("_parts", "_pool", "_refills")

    def __init__(self, *parts: int) -> None:
        self._parts = parts
        self._refills = 0
        self._pool = _digest(parts)

    def below(self, n: int) -> int:
        """An integer in ``[0, n)``; unbiased enough while ``n`` stays far below 2**32."""
        pool = self._pool
        if pool < _REFILL_BELOW:
            self._refills += 1
            pool = _digest((*self._parts, -self._refills))
        pool, result = divmod(pool, n)
        self._pool = pool
        return result

    def between(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        return low + self.below(high - low + 1)

    def chance(self, per_mille: int) -> bool:
        """True ``per_mille`` times in a thousand."""
        return self.below(1000) < per_mille

    def pick(self, items: Sequence[T]) -> T:
        """One element of ``items``."""
        # below() inlined: generating a record makes a dozen picks, and the extra call is a tenth of the cost.
        pool = self._pool
        if pool < _REFILL_BELOW:
            self._refills += 1
            pool = _digest((*self._parts, -self._refills))
        pool, index = divmod(pool, len(items))
        self._pool = pool
        return items[index]

    def sample(self, items: Sequence[T], k: int) -> tuple[T, ...]:
        """``k`` distinct elements of ``items`` (clamped to its length): a run of them from a random start."""
        k = min(k, len(items))
        start = self.below(len(items))
        return tuple(items[(start + i) % len(items)] for i in range(k))


def _digest(parts: tuple[int, ...]) -> int:
    # The top bit marks the pool's size, so leading zero bits of the digest still count as entropy.
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=64).digest()
    return int.from_bytes(digest, "little") | (1 << 512)
