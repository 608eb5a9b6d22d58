"""HubSpot CRM v3 search bodies, lowered to store queries.

Supported: up to 5 filter groups (joined by OR) of up to 6 filters each (joined by AND, 18 in all) on the
object's last-modified property and ``hs_object_id``, with ``EQ LT LTE GT GTE BETWEEN HAS_PROPERTY``;
one sort on either property; ``properties``, ``limit`` (1-200) and ``after`` (an offset). Times are epoch
milliseconds or ISO 8601. Search never returns archived records. Anything else raises ValueError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hireflow.infra.crm.sandbox.config import EntityKind
from hireflow.infra.crm.sandbox.criteria import Criteria, Field, Order, Query, SortKey
from hireflow.infra.crm.sandbox.hubspot_properties import MODIFIED_PROPERTY
from hireflow.infra.crm.sandbox.timefmt import parse_epoch_or_iso

MAX_GROUPS = 5
MAX_FILTERS_PER_GROUP = 6
MAX_FILTERS = 18
DEFAULT_LIMIT = 10
_OPERATORS = {"EQ": "=", "LT": "<", "LTE": "<=", "GT": ">", "GTE": ">="}


@dataclass(frozen=True)
class SearchRequest:
    """A parsed search body."""

    query: Query
    order: Order
    properties: tuple[str, ...] | None
    limit: int
    after: int


def parse_search_body(kind: EntityKind, body: Any, max_limit: int) -> SearchRequest:
    """The search request in ``body`` (decoded JSON). Raises ValueError naming the problem."""
    if not isinstance(body, dict):
        raise ValueError("the request body must be a JSON object")
    if body.get("query"):
        raise ValueError("the sandbox does not support full-text 'query'; filter on properties instead")
    properties = body.get("properties")
    if properties is not None and not (
        isinstance(properties, list) and all(isinstance(p, str) for p in properties)
    ):
        raise ValueError("properties must be a list of property names")
    limit = _integer(body.get("limit", DEFAULT_LIMIT), "limit")
    if not 1 <= limit <= max_limit:
        raise ValueError(f"limit must be between 1 and {max_limit}, not {limit}")
    after = _integer(body.get("after", 0) or 0, "after")
    if after < 0:
        raise ValueError("after must not be negative")
    return SearchRequest(
        query=_filter_groups(kind, body.get("filterGroups") or []),
        order=_sorts(kind, body.get("sorts") or []),
        properties=tuple(properties) if properties is not None else None,
        limit=limit,
        after=after,
    )


def _filter_groups(kind: EntityKind, groups: Any) -> Query:
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS:
        raise ValueError(f"filterGroups must be a list of at most {MAX_GROUPS} groups")
    if sum(len(group.get("filters") or []) for group in groups if isinstance(group, dict)) > MAX_FILTERS:
        raise ValueError(f"at most {MAX_FILTERS} filters in all")
    live = Criteria(deleted=False)
    if not groups:
        return (live,)
    query: list[Criteria] = []
    for group in groups:
        filters = group.get("filters") if isinstance(group, dict) else None
        if not isinstance(filters, list) or len(filters) > MAX_FILTERS_PER_GROUP:
            raise ValueError(f"each filter group needs a list of at most {MAX_FILTERS_PER_GROUP} filters")
        criteria = live
        for item in filters:
            criteria = _filter(kind, criteria, item)
        query.append(criteria)
    return tuple(query)


def _filter(kind: EntityKind, criteria: Criteria, item: Any) -> Criteria:
    if not isinstance(item, dict):
        raise ValueError("each filter must be an object with propertyName, operator and value")
    name, operator = item.get("propertyName"), str(item.get("operator", "")).upper()
    field = _field(kind, name)
    if operator == "HAS_PROPERTY":
        return criteria  # the modification time and the id are always set
    if operator == "BETWEEN":
        low, high = _value(field, item.get("value")), _value(field, item.get("highValue"))
        return criteria.restrict(field, ">=", low).restrict(field, "<=", high)
    if operator not in _OPERATORS:
        raise ValueError(
            f"the sandbox supports operators {', '.join([*_OPERATORS, 'BETWEEN', 'HAS_PROPERTY'])}, not {operator or 'none'}"
        )
    return criteria.restrict(field, _OPERATORS[operator], _value(field, item.get("value")))


def _field(kind: EntityKind, name: Any) -> Field:
    if name == MODIFIED_PROPERTY[kind]:
        return "modified"
    if name == "hs_object_id":
        return "id"
    raise ValueError(f"the sandbox filters on {MODIFIED_PROPERTY[kind]} and hs_object_id, not {name!r}")


def _value(field: Field, value: Any) -> int:
    if value is None:
        raise ValueError("the filter needs a value")
    if field == "id":
        return _integer(value, "hs_object_id")
    ms = parse_epoch_or_iso(str(value))
    if ms is None:
        raise ValueError(f"{value!r} is not a time: give epoch milliseconds or ISO 8601")
    return ms


def _sorts(kind: EntityKind, sorts: Any) -> Order:
    if not isinstance(sorts, list) or len(sorts) > 1:
        raise ValueError("the sandbox takes at most one sort")
    if not sorts:
        return Order(SortKey.ID)
    sort = sorts[0]
    if isinstance(sort, str):  # HubSpot also accepts "-createdate" style strings
        sort = {
            "propertyName": sort.lstrip("-"),
            "direction": "DESCENDING" if sort.startswith("-") else "ASCENDING",
        }
    direction = str(sort.get("direction", "ASCENDING")).upper()
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"direction must be ASCENDING or DESCENDING, not {direction}")
    field = _field(kind, sort.get("propertyName"))
    return Order(SortKey.MODIFIED if field == "modified" else SortKey.ID, direction == "DESCENDING")


def _integer(value: Any, name: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
