"""Evaluating match rankings against graded relevance labels: precision@k, recall@k and nDCG@k.

Labels are ``(candidate_ref, job_ref, relevance)`` triples; relevance is an integer >= 0 and anything above 0
counts as relevant. A pair without a label is irrelevant (relevance 0). The same labels evaluate both
directions: ranking candidates for each job groups them by job, ranking jobs for each candidate by candidate.

Choices worth knowing:

* precision@k divides by ``k`` even when a ranking is shorter than ``k`` (as trec_eval does), so a ranker that
  returns too few items is not rewarded for it.
* nDCG uses graded gains ``2**rel - 1`` and a ``log2(rank + 1)`` discount; the ideal ranking is made of every
  labelled item of the query, so relevant items the ranker never returned lower the score.
* Averages are over the queries with at least one relevant label; a query missing from the rankings counts as
  an empty ranking (all zeros), a ranking for a query without relevant labels is left out. An item repeated in a
  ranking counts only where it first appears.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from hireflow.domain.models.matching import MatchDirection
from hireflow.shared.errors import ValidationFailed

LABEL_COLUMNS = ("candidate_ref", "job_ref", "relevance")
"""The columns a labels CSV must have (in any order; other columns are ignored)."""


class RelevanceLabel(NamedTuple):
    """How relevant a candidate is to a job: 0 irrelevant, 1 adjacent, 2 right occupation and level, ..."""

    candidate_ref: str
    job_ref: str
    relevance: int


@dataclass(frozen=True)
class MetricsAtK:
    """Mean precision, recall and nDCG of the first ``k`` items of each ranking."""

    k: int
    precision: float
    recall: float
    ndcg: float


@dataclass(frozen=True)
class RankingEvaluation:
    """The metrics at each cut-off asked for, and how many queries (with a relevant label) they average."""

    queries: int
    at: tuple[MetricsAtK, ...]

    def at_k(self, k: int) -> MetricsAtK:
        """The metrics at cut-off ``k``; KeyError when ``k`` was not evaluated."""
        for metrics in self.at:
            if metrics.k == k:
                return metrics
        raise KeyError(f"k={k} was not evaluated; evaluated: {[m.k for m in self.at]}")


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")


def _top(ranking: Sequence[str], k: int) -> list[str]:
    return list(dict.fromkeys(ranking))[:k]


def precision_at_k(ranking: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """The share of the first ``k`` places that hold a relevant item (empty places count as misses)."""
    _check_k(k)
    wanted = set(relevant)
    return sum(1 for item in _top(ranking, k) if item in wanted) / k


def recall_at_k(ranking: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """The share of the relevant items found in the first ``k`` places (0.0 when nothing is relevant)."""
    _check_k(k)
    wanted = set(relevant)
    if not wanted:
        return 0.0
    return sum(1 for item in _top(ranking, k) if item in wanted) / len(wanted)


def _dcg(relevances: Iterable[int]) -> float:
    return sum(
        (2.0**rel - 1) / math.log2(rank + 1) for rank, rel in enumerate(relevances, start=1) if rel > 0
    )


def ndcg_at_k(ranking: Sequence[str], relevance: Mapping[str, int], k: int) -> float:
    """Normalised discounted cumulative gain of the first ``k`` places, with gains ``2**rel - 1``; the ideal
    ranking orders every item of ``relevance`` by grade. 0.0 when no item has a positive grade."""
    _check_k(k)
    ideal = _dcg(sorted((rel for rel in relevance.values() if rel > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return _dcg(relevance.get(item, 0) for item in _top(ranking, k)) / ideal


def group_labels(
    labels: Iterable[RelevanceLabel], direction: MatchDirection = MatchDirection.CANDIDATES_FOR_JOB
) -> dict[str, dict[str, int]]:
    """The labels as ``{query_ref: {item_ref: relevance}}``: queries are jobs when ranking candidates for jobs,
    candidates when ranking jobs for candidates."""
    grouped: dict[str, dict[str, int]] = {}
    for label in labels:
        if direction is MatchDirection.CANDIDATES_FOR_JOB:
            query, item = label.job_ref, label.candidate_ref
        else:
            query, item = label.candidate_ref, label.job_ref
        grouped.setdefault(query, {})[item] = label.relevance
    return grouped


def evaluate_rankings(
    rankings: Mapping[str, Sequence[str]],
    labels: Iterable[RelevanceLabel],
    *,
    ks: Sequence[int] = (1, 5, 10),
    direction: MatchDirection = MatchDirection.CANDIDATES_FOR_JOB,
) -> RankingEvaluation:
    """Mean precision@k, recall@k and nDCG@k of ``rankings`` (query ref -> item refs, best first) over the
    queries with at least one relevant label; all zeros when there is none."""
    for k in ks:
        _check_k(k)
    judged = {q: grades for q, grades in group_labels(labels, direction).items() if max(grades.values()) > 0}
    at: list[MetricsAtK] = []
    for k in ks:
        precision = recall = ndcg = 0.0
        for query, grades in judged.items():
            ranking = rankings.get(query, ())
            relevant = [item for item, rel in grades.items() if rel > 0]
            precision += precision_at_k(ranking, relevant, k)
            recall += recall_at_k(ranking, relevant, k)
            ndcg += ndcg_at_k(ranking, grades, k)
        count = len(judged) or 1
        at.append(MetricsAtK(k=k, precision=precision / count, recall=recall / count, ndcg=ndcg / count))
    return RankingEvaluation(queries=len(judged), at=tuple(at))


def _parse_row(row: Mapping[str, str | None], line: int) -> RelevanceLabel | dict[str, Any]:
    """The label a CSV row holds, or the error it has (as a ``ValidationFailed.errors`` entry)."""
    values: dict[str, str] = {}
    for column in LABEL_COLUMNS:
        value = (row.get(column) or "").strip()
        if not value:
            return {"line": line, "field": column, "message": f"line {line}: missing {column}"}
        values[column] = value
    try:
        relevance = int(values["relevance"])
    except ValueError:
        message = f"line {line}: relevance {values['relevance']!r} is not an integer"
        return {"line": line, "field": "relevance", "message": message}
    if relevance < 0:
        return {
            "line": line,
            "field": "relevance",
            "message": f"line {line}: relevance {relevance} is negative",
        }
    return RelevanceLabel(values["candidate_ref"], values["job_ref"], relevance)


def read_labels(lines: Iterable[str]) -> list[RelevanceLabel]:
    """Read a labels CSV with a header naming ``candidate_ref``, ``job_ref`` and ``relevance``.

    Blank lines are skipped. Raises ValidationFailed listing every bad row (a missing value, a relevance that
    is not an integer >= 0, a pair labelled twice), each named by its line number.
    """
    reader = csv.DictReader(lines)
    header = reader.fieldnames
    if not header:
        raise ValidationFailed("the labels CSV is empty: it needs a header candidate_ref,job_ref,relevance")
    missing = [column for column in LABEL_COLUMNS if column not in [name.strip() for name in header]]
    if missing:
        raise ValidationFailed(
            f"line 1: the labels CSV header lacks {', '.join(missing)} (it needs {','.join(LABEL_COLUMNS)})",
            [{"line": 1, "field": column, "message": "missing column"} for column in missing],
        )
    reader.fieldnames = [name.strip() for name in header]
    labels: list[RelevanceLabel] = []
    errors: list[dict[str, Any]] = []
    first_seen: dict[tuple[str, str], int] = {}
    for row in reader:
        parsed = _parse_row(row, reader.line_num)
        if isinstance(parsed, dict):
            errors.append(parsed)
            continue
        pair = (parsed.candidate_ref, parsed.job_ref)
        if pair in first_seen:
            message = f"line {reader.line_num}: duplicate pair {pair[0]}, {pair[1]} (first on line {first_seen[pair]})"
            errors.append({"line": reader.line_num, "field": "job_ref", "message": message})
            continue
        first_seen[pair] = reader.line_num
        labels.append(parsed)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ValidationFailed(f"bad labels CSV: {errors[0]['message']}{more}", errors)
    return labels
