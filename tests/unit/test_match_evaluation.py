"""Ranking metrics against graded labels, checked with values worked out by hand, and the labels CSV reader."""

from __future__ import annotations

import math

import pytest

from hireflow.domain.models.matching import MatchDirection
from hireflow.domain.services.match_evaluation import (
    MetricsAtK,
    RelevanceLabel,
    evaluate_rankings,
    group_labels,
    ndcg_at_k,
    precision_at_k,
    read_labels,
    recall_at_k,
)
from hireflow.shared.errors import ValidationFailed

RANKING = ["a", "b", "c", "d", "e"]
RELEVANT = {"a", "c", "x"}  # x is relevant but never ranked


@pytest.mark.parametrize(("k", "expected"), [(1, 1.0), (2, 0.5), (3, 2 / 3), (5, 2 / 5)])
def test_precision_is_the_share_of_relevant_items_in_the_first_k(k: int, expected: float) -> None:
    assert precision_at_k(RANKING, RELEVANT, k) == pytest.approx(expected)


@pytest.mark.parametrize(("k", "expected"), [(1, 1 / 3), (2, 1 / 3), (3, 2 / 3), (5, 2 / 3)])
def test_recall_is_the_share_of_relevant_items_found_in_the_first_k(k: int, expected: float) -> None:
    assert recall_at_k(RANKING, RELEVANT, k) == pytest.approx(expected)


def test_ndcg_uses_graded_gains_and_a_log2_discount() -> None:
    grades = {"a": 2, "b": 0, "c": 1, "d": 2, "e": 1}
    # ranked a(2) b(0) c(1) d(2): gains 3, 0, 1, 3 at ranks 1..4
    dcg = 3 / 1 + 0 / math.log2(3) + 1 / 2 + 3 / math.log2(5)
    # ideal order of all labelled items: 2, 2, 1, 1 (e is labelled but not ranked)
    ideal = 3 / 1 + 3 / math.log2(3) + 1 / 2 + 1 / math.log2(5)
    assert ndcg_at_k(["a", "b", "c", "d"], grades, 4) == pytest.approx(dcg / ideal)
    assert dcg / ideal == pytest.approx(0.822883, abs=1e-6)


def test_ndcg_of_the_ideal_ranking_is_one_and_of_a_late_hit_is_discounted() -> None:
    assert ndcg_at_k(["a", "b"], {"a": 2, "b": 1}, 2) == pytest.approx(1.0)
    assert ndcg_at_k(["z", "a"], {"a": 1}, 2) == pytest.approx(1 / math.log2(3))  # 0.6309
    assert ndcg_at_k(["z", "a"], {"a": 1}, 1) == 0.0


def test_k_larger_than_the_ranking_counts_the_empty_places_as_misses() -> None:
    assert precision_at_k(["a"], {"a"}, 5) == pytest.approx(0.2)
    assert recall_at_k(["a"], {"a"}, 5) == 1.0
    assert ndcg_at_k(["a"], {"a": 2}, 5) == pytest.approx(1.0)


def test_an_empty_ranking_scores_zero() -> None:
    assert precision_at_k([], {"a"}, 3) == 0.0
    assert recall_at_k([], {"a"}, 3) == 0.0
    assert ndcg_at_k([], {"a": 1}, 3) == 0.0


def test_without_relevant_items_recall_and_ndcg_are_zero() -> None:
    assert precision_at_k(RANKING, set(), 3) == 0.0
    assert recall_at_k(RANKING, set(), 3) == 0.0
    assert ndcg_at_k(RANKING, {"a": 0, "b": 0}, 3) == 0.0


def test_a_repeated_item_counts_only_where_it_first_appears() -> None:
    assert precision_at_k(["a", "a", "b"], {"a"}, 2) == 0.5
    assert ndcg_at_k(["a", "a"], {"a": 1}, 2) == pytest.approx(1.0)


def test_k_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        precision_at_k(RANKING, RELEVANT, 0)
    with pytest.raises(ValueError, match="at least 1"):
        evaluate_rankings({}, [], ks=(5, 0))


LABELS = [
    RelevanceLabel("c1", "j1", 2),
    RelevanceLabel("c2", "j1", 1),
    RelevanceLabel("c3", "j1", 0),
    RelevanceLabel("c1", "j2", 1),
    RelevanceLabel("c3", "j3", 0),  # j3 has no relevant candidate: left out of the averages
]


def test_labels_group_by_job_or_by_candidate() -> None:
    assert group_labels(LABELS) == {"j1": {"c1": 2, "c2": 1, "c3": 0}, "j2": {"c1": 1}, "j3": {"c3": 0}}
    by_candidate = group_labels(LABELS, MatchDirection.JOBS_FOR_CANDIDATE)
    assert by_candidate == {"c1": {"j1": 2, "j2": 1}, "c2": {"j1": 1}, "c3": {"j1": 0, "j3": 0}}


def test_evaluation_averages_over_queries_with_a_relevant_label() -> None:
    rankings = {"j1": ["c3", "c1", "c2"], "j2": ["c2", "c3"], "j3": ["c1"]}
    result = evaluate_rankings(rankings, LABELS, ks=(1, 2))
    assert result.queries == 2
    # j1: p@1 0, p@2 1/2; j2: nothing relevant ranked
    assert result.at_k(1) == MetricsAtK(k=1, precision=0.0, recall=0.0, ndcg=0.0)
    at2 = result.at_k(2)
    assert at2.precision == pytest.approx((1 / 2 + 0) / 2)
    assert at2.recall == pytest.approx((1 / 2 + 0) / 2)
    j1_ndcg = (3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert at2.ndcg == pytest.approx((j1_ndcg + 0) / 2)
    with pytest.raises(KeyError, match="k=5"):
        result.at_k(5)


def test_a_query_missing_from_the_rankings_counts_as_an_empty_ranking() -> None:
    perfect = evaluate_rankings({"j1": ["c1", "c2"], "j2": ["c1"]}, LABELS, ks=(1,))
    half = evaluate_rankings({"j1": ["c1", "c2"]}, LABELS, ks=(1,))
    assert perfect.at_k(1).precision == 1.0
    assert half.at_k(1) == MetricsAtK(k=1, precision=0.5, recall=0.25, ndcg=0.5)


def test_evaluation_of_jobs_for_each_candidate() -> None:
    rankings = {"c1": ["j2", "j1"], "c2": ["j1"], "c3": ["j1"]}
    result = evaluate_rankings(rankings, LABELS, ks=(1,), direction=MatchDirection.JOBS_FOR_CANDIDATE)
    assert result.queries == 2  # c3 has only irrelevant labels
    assert result.at_k(1).precision == 1.0
    assert result.at_k(1).ndcg == pytest.approx((1 / 3 + 1) / 2)


def test_evaluation_without_labels_or_rankings_is_all_zeros() -> None:
    result = evaluate_rankings({}, [], ks=(5,))
    assert result.queries == 0
    assert result.at_k(5) == MetricsAtK(k=5, precision=0.0, recall=0.0, ndcg=0.0)


# -- the labels CSV ------------------------------------------------------------------------------------------
def test_read_labels_takes_columns_in_any_order_and_skips_blank_lines() -> None:
    text = "job_ref, relevance ,candidate_ref,note\neval:job-01,2,eval:cand-001,exact\n\neval:job-01,1,eval:cand-002,\n"
    assert read_labels(text.splitlines()) == [
        RelevanceLabel("eval:cand-001", "eval:job-01", 2),
        RelevanceLabel("eval:cand-002", "eval:job-01", 1),
    ]


def test_read_labels_accepts_a_header_alone() -> None:
    assert read_labels(["candidate_ref,job_ref,relevance\n"]) == []


def test_read_labels_needs_a_header() -> None:
    with pytest.raises(ValidationFailed, match="empty"):
        read_labels([])
    with pytest.raises(ValidationFailed, match=r"line 1: .*lacks relevance") as error:
        read_labels(["candidate_ref,job_ref", "c1,j1"])
    assert error.value.errors == [{"line": 1, "field": "relevance", "message": "missing column"}]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("c1,,2", "line 3: missing job_ref"),
        ("c1,j2", "line 3: missing relevance"),
        ("c1,j2,high", "line 3: relevance 'high' is not an integer"),
        ("c1,j2,1.5", "line 3: relevance '1.5' is not an integer"),
        ("c1,j2,-1", "line 3: relevance -1 is negative"),
        ("c1,j1,1", "line 3: duplicate pair c1, j1 (first on line 2)"),
    ],
)
def test_read_labels_names_the_line_of_a_bad_row(row: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        read_labels(["candidate_ref,job_ref,relevance", "c1,j1,2", row])
    assert str(error.value) == f"bad labels CSV: {message}"
    assert error.value.errors[0]["line"] == 3


def test_read_labels_reports_every_bad_row() -> None:
    lines = ["candidate_ref,job_ref,relevance", "c1,j1,x", "c2,j1,2", "c3,,1"]
    with pytest.raises(ValidationFailed, match=r"line 2: .* \(and 1 more\)") as error:
        read_labels(lines)
    assert [e["line"] for e in error.value.errors] == [2, 4]
