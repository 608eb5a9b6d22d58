"""The labelled matching evaluation set (tests/data/matching) and the rankers it is measured with: a keyword
baseline (BM25 and TF-IDF over word tokens, in plain Python) and cosine similarity of sentence embeddings."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hireflow.domain.services.match_evaluation import RelevanceLabel, read_labels

DATA = Path(__file__).parent / "data" / "matching"

JOB_COLUMNS = (
    "ref",
    "title",
    "description",
    "skills",
    "city",
    "region",
    "postal_code",
    "country",
    "salary_min",
    "salary_max",
    "salary_unit",
)
CANDIDATE_COLUMNS = (
    "ref",
    "first_name",
    "last_name",
    "headline",
    "skills",
    "summary",
    "experience_months",
    "city",
    "region",
    "postal_code",
    "country",
    "salary_expectation",
)


@dataclass(frozen=True)
class EvalJob:
    ref: str
    title: str
    description: str
    skills: tuple[str, ...]
    row: Mapping[str, str]

    @property
    def text(self) -> str:
        """What a job is embedded and keyword-matched as: title, skills, description."""
        return f"{self.title}. Skills: {', '.join(self.skills)}. {self.description}"


@dataclass(frozen=True)
class EvalCandidate:
    ref: str
    headline: str
    skills: tuple[str, ...]
    summary: str
    row: Mapping[str, str]

    @property
    def text(self) -> str:
        """What a candidate is embedded and keyword-matched as: headline, skills, summary."""
        return f"{self.headline}. Skills: {', '.join(self.skills)}. {self.summary}"


def read_rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _skills(text: str) -> tuple[str, ...]:
    return tuple(skill.strip() for skill in text.split(";") if skill.strip())


@cache
def load_jobs() -> tuple[EvalJob, ...]:
    _, rows = read_rows("jobs.csv")
    return tuple(
        EvalJob(row["ref"], row["title"], row["description"], _skills(row["skills"]), row) for row in rows
    )


@cache
def load_candidates() -> tuple[EvalCandidate, ...]:
    _, rows = read_rows("candidates.csv")
    return tuple(
        EvalCandidate(row["ref"], row["headline"], _skills(row["skills"]), row["summary"], row)
        for row in rows
    )


@cache
def load_labels() -> tuple[RelevanceLabel, ...]:
    with (DATA / "labels.csv").open(encoding="utf-8", newline="") as file:
        return tuple(read_labels(file))


# -- keyword rankers -----------------------------------------------------------------------------------------
_STOPWORDS_TEXT = """a about above after all also an and any are as at be been before being both but by can do does each
for from had has have he her here his how i if in into is it its just me more most my no not of on once only or other
our out over own same she so some such than that the their them then there these they this those to too under up very
was we were what when where which while who will with would you your us per"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-cased words and numbers, without English stop words (no stemming)."""
    return [token for token in _TOKEN.findall(text.lower()) if token not in STOPWORDS]


Ranker = Callable[[Sequence[str], Sequence[str]], list[list[int]]]
"""Given query texts and document texts, for each query the document indexes best first."""


def bm25_rank(
    queries: Sequence[str], documents: Sequence[str], k1: float = 1.2, b: float = 0.75
) -> list[list[int]]:
    """Okapi BM25 of each document for the distinct words of each query."""
    docs = [Counter(tokens(text)) for text in documents]
    lengths = [sum(doc.values()) for doc in docs]
    average = sum(lengths) / len(docs)
    frequency = Counter(word for doc in docs for word in doc)
    idf = {word: math.log(1 + (len(docs) - n + 0.5) / (n + 0.5)) for word, n in frequency.items()}
    rankings = []
    for query in queries:
        words = set(tokens(query)) & idf.keys()
        scores = []
        for doc, length in zip(docs, lengths, strict=True):
            norm = k1 * (1 - b + b * length / average)
            scores.append(sum(idf[w] * doc[w] * (k1 + 1) / (doc[w] + norm) for w in words if w in doc))
        rankings.append(sorted(range(len(docs)), key=lambda i: -scores[i]))
    return rankings


def tfidf_rank(queries: Sequence[str], documents: Sequence[str]) -> list[list[int]]:
    """Cosine similarity of TF-IDF vectors (log-scaled term frequency, smoothed IDF from the documents)."""
    docs = [Counter(tokens(text)) for text in documents]
    frequency = Counter(word for doc in docs for word in doc)
    idf = {word: math.log((1 + len(docs)) / (1 + n)) + 1 for word, n in frequency.items()}

    def vector(counts: Counter[str]) -> dict[str, float]:
        weights = {w: (1 + math.log(n)) * idf[w] for w, n in counts.items() if w in idf}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}

    doc_vectors = [vector(doc) for doc in docs]
    rankings = []
    for query in queries:
        q = vector(Counter(tokens(query)))
        scores = [sum(weight * d.get(w, 0.0) for w, weight in q.items()) for d in doc_vectors]
        rankings.append(sorted(range(len(docs)), key=lambda i: -scores[i]))
    return rankings


def candidate_rankings(rank: Ranker) -> dict[str, list[str]]:
    """For each job ref, every candidate ref ranked by ``rank`` (job text as query, candidate texts as documents)."""
    jobs, candidates = load_jobs(), load_candidates()
    order = rank([job.text for job in jobs], [candidate.text for candidate in candidates])
    return {job.ref: [candidates[i].ref for i in indexes] for job, indexes in zip(jobs, order, strict=True)}


# -- embeddings ----------------------------------------------------------------------------------------------
def embedding_rank(model: Any) -> Ranker:
    """A ranker by cosine similarity of ``model.encode`` vectors (a sentence-transformers model); each text is
    encoded once however often the ranker is called."""
    import numpy as np

    encoded: dict[str, Any] = {}

    def encode(texts: Sequence[str]) -> Any:
        missing = [text for text in dict.fromkeys(texts) if text not in encoded]
        if missing:
            vectors = model.encode(missing, normalize_embeddings=True, batch_size=64)
            encoded.update(zip(missing, vectors, strict=True))
        return np.stack([encoded[text] for text in texts])

    def rank(queries: Sequence[str], documents: Sequence[str]) -> list[list[int]]:
        similarity = encode(queries) @ encode(documents).T
        return [[int(i) for i in (-row).argsort(kind="stable")] for row in similarity]

    return rank
