"""What a query asks for, whatever its CRM's syntax: bounds on modification time and id, and a deleted flag.

A query is a tuple of :class:`Criteria` joined by OR (HubSpot filter groups, ``OR`` in SOQL); each
criteria's bounds are joined by AND. Every CRM parser lowers its language to this, and the store answers it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from hireflow.infra.crm.sandbox.records import Record

Key = tuple[int, int]
Field = Literal["modified", "id", "deleted"]
COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})


class SortKey(StrEnum):
    """The orders the store serves: by ``(modified, id)``, or by id alone."""

    MODIFIED = "modified"
    ID = "id"


@dataclass(frozen=True)
class Order:
    """A sort key and a direction (one direction for both parts of ``(modified, id)``)."""

    key: SortKey = SortKey.ID
    descending: bool = False


def sort_key(record: Record, key: SortKey) -> Key:
    """The position of ``record`` in ascending ``key`` order."""
    if key is SortKey.MODIFIED:
        return (record.modified, record.id)
    return (record.id, 0)


@dataclass(frozen=True)
class Criteria:
    """Inclusive bounds (None = unbounded) joined by AND; ``deleted`` None matches live and deleted records."""

    modified_min: int | None = None
    modified_max: int | None = None
    id_min: int | None = None
    id_max: int | None = None
    deleted: bool | None = None
    impossible: bool = False

    def restrict(self, field: Field, op: str, value: int | bool) -> Criteria:
        """These criteria AND ``field op value``; ``op`` is one of ``= != < <= > >=``.

        Raises ValueError for a comparison the store cannot answer (``!=`` on a time or an id).
        """
        if field == "deleted":
            if op not in ("=", "!="):
                raise ValueError(f"only = and != compare a deleted flag, not {op}")
            wanted = bool(value) if op == "=" else not bool(value)
            if self.deleted is not None and self.deleted != wanted:
                return replace(self, impossible=True)
            return replace(self, deleted=wanted)
        if op == "!=" or op not in COMPARISONS:
            raise ValueError(f"cannot compare {field} with {op}")
        number = int(value)
        bounds: dict[str, tuple[int | None, int | None]] = {
            "=": (number, number),
            ">": (number + 1, None),
            ">=": (number, None),
            "<": (None, number - 1),
            "<=": (None, number),
        }
        low, high = bounds[op]
        return self._bounded(field, low, high)

    def _bounded(self, field: Field, low: int | None, high: int | None) -> Criteria:
        current_low, current_high = (
            (self.modified_min, self.modified_max) if field == "modified" else (self.id_min, self.id_max)
        )
        new_low = low if current_low is None else current_low if low is None else max(low, current_low)
        new_high = high if current_high is None else current_high if high is None else min(high, current_high)
        if field == "modified":
            return replace(self, modified_min=new_low, modified_max=new_high)
        return replace(self, id_min=new_low, id_max=new_high)

    @property
    def is_empty(self) -> bool:
        """True when no record can match."""
        return (
            self.impossible
            or (
                self.modified_min is not None
                and self.modified_max is not None
                and self.modified_min > self.modified_max
            )
            or (self.id_min is not None and self.id_max is not None and self.id_min > self.id_max)
        )

    def admits(self, record: Record) -> bool:
        """Whether ``record`` matches."""
        return not (
            self.impossible
            or (self.deleted is not None and record.deleted != self.deleted)
            or (self.modified_min is not None and record.modified < self.modified_min)
            or (self.modified_max is not None and record.modified > self.modified_max)
            or (self.id_min is not None and record.id < self.id_min)
            or (self.id_max is not None and record.id > self.id_max)
        )


Query = tuple[Criteria, ...]
MATCH_ALL: Query = (Criteria(),)


def restrict_all(query: Query, field: Field, op: str, value: int | bool) -> Query:
    """``query`` with ``field op value`` added to every OR branch."""
    return tuple(criteria.restrict(field, op, value) for criteria in query)
