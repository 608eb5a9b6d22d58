"""Bullhorn's query languages, lowered to store queries: Lucene ``query=`` (search), ``where=`` (query), ``sort=``.

Supported, on purpose no more: fields ``id``, ``dateLastModified`` and ``isDeleted``; Lucene terms joined by
AND with ``[a TO b]``/``{a TO b}`` ranges (``*`` open) and dates as ``yyyyMMdd[HHmm[ss]]`` (UTC); ``where``
comparisons (``= != <> < <= > >=``) joined by AND/OR with parentheses, times in epoch milliseconds. Anything
else raises ValueError with a message saying what is supported.
"""

from __future__ import annotations

import re

from hireflow.infra.crm.sandbox.conditions import (
    QuerySyntaxError,
    Token,
    TokenStream,
    parse_conditions,
    tokenize,
)
from hireflow.infra.crm.sandbox.criteria import MATCH_ALL, Criteria, Field, Order, Query, SortKey
from hireflow.infra.crm.sandbox.timefmt import parse_lucene_date

_FIELDS: dict[str, Field] = {"id": "id", "dateLastModified": "modified", "isDeleted": "deleted"}
_SUPPORTED = "id, dateLastModified and isDeleted"
_TERM = re.compile(r"^(?P<field>[A-Za-z_.]+):(?P<value>[\[{].*[\]}]|\S+)$")
_RANGE = re.compile(r"^(?P<open>[\[{])\s*(?P<low>\S+)\s+TO\s+(?P<high>\S+)\s*(?P<close>[\]}])$")
_AND = re.compile(r"\s+(?:AND|&&)\s+", re.IGNORECASE)


def parse_search(text: str | None, *, has_deleted_flag: bool) -> Query:
    """A Lucene ``query=`` as a store query."""
    if text is None or text.strip() in ("", "*", "*:*"):
        return MATCH_ALL
    if re.search(r"\s(OR|NOT|\|\|)\s|[()]", text, re.IGNORECASE):
        raise ValueError("the sandbox's search supports terms joined by AND only (no OR, NOT or parentheses)")
    criteria = Criteria()
    for raw_term in _AND.split(text.strip()):
        term = raw_term.strip().lstrip("+")
        if term in ("*", "*:*"):
            continue
        match = _TERM.match(term)
        if match is None:
            raise ValueError(f"cannot parse search term '{term}'; use field:value or field:[low TO high]")
        criteria = _search_term(criteria, match["field"], match["value"], has_deleted_flag)
    return (criteria,)


def _search_term(criteria: Criteria, name: str, value: str, has_deleted_flag: bool) -> Criteria:
    field = _field(name, has_deleted_flag)
    if field == "deleted":
        return criteria.restrict("deleted", "=", _flag(value))
    bounds = _RANGE.match(value)
    if bounds is None:
        return criteria.restrict(field, "=", _lucene_value(field, value))
    if bounds["low"] != "*":
        criteria = criteria.restrict(
            field, ">=" if bounds["open"] == "[" else ">", _lucene_value(field, bounds["low"])
        )
    if bounds["high"] != "*":
        criteria = criteria.restrict(
            field, "<=" if bounds["close"] == "]" else "<", _lucene_value(field, bounds["high"])
        )
    return criteria


def _lucene_value(field: Field, text: str) -> int:
    if field == "id":
        if not text.isdigit():
            raise ValueError(f"id values are whole numbers, not '{text}'")
        return int(text)
    ms = parse_lucene_date(text)
    if ms is None:
        raise ValueError(f"dateLastModified in a search is yyyyMMddHHmmss (or yyyyMMdd), not '{text}'")
    return ms


def parse_where(text: str | None, *, has_deleted_flag: bool) -> Query:
    """A ``where=`` clause as a store query."""
    if text is None or not text.strip():
        raise ValueError("where is required for query (e.g. where=id>0)")
    try:
        stream = TokenStream(tokenize(text))
        dnf = parse_conditions(stream)
        if not stream.at_end:
            raise QuerySyntaxError(f"unexpected '{stream.peek().text}' after the conditions")
    except QuerySyntaxError as exc:
        raise ValueError(f"cannot parse where '{text}': {exc}") from None
    query: list[Criteria] = []
    for branch in dnf:
        criteria = Criteria()
        for condition in branch:
            field = _field(condition.field, has_deleted_flag)
            value = _flag(condition.value.text) if field == "deleted" else _where_number(condition.value)
            criteria = criteria.restrict(field, condition.op, value)
        query.append(criteria)
    return tuple(query)


def _where_number(token: Token) -> int:
    if token.kind != "number" or "." in token.text:
        raise ValueError(f"expected a whole number (ids, epoch milliseconds), found '{token.text}'")
    return int(token.text)


def _field(name: str, has_deleted_flag: bool) -> Field:
    field = _FIELDS.get(name)
    if field is None or (field == "deleted" and not has_deleted_flag):
        fields = _SUPPORTED if has_deleted_flag else "id and dateLastModified"
        raise ValueError(f"the sandbox filters on {fields}, not '{name}'")
    return field


def _flag(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true"):
        return True
    if lowered in ("0", "false"):
        return False
    raise ValueError(f"isDeleted is true/false or 1/0, not '{text}'")


def parse_sort(text: str | None) -> Order:
    """``sort=`` as an order: ``id``, ``dateLastModified`` or ``dateLastModified,id``, optionally all ``-``."""
    if text is None or not text.strip():
        return Order(SortKey.ID)
    items = [item.strip() for item in text.split(",") if item.strip()]
    directions = {item.startswith("-") for item in items}
    names = [item.lstrip("+-") for item in items]
    if len(directions) > 1:
        raise ValueError("the sandbox sorts every key in one direction (all ascending or all '-')")
    descending = directions == {True}
    if names == ["id"]:
        return Order(SortKey.ID, descending)
    if names in (["dateLastModified"], ["dateLastModified", "id"]):
        return Order(SortKey.MODIFIED, descending)
    raise ValueError(f"the sandbox sorts by id or dateLastModified,id, not '{text}'")
