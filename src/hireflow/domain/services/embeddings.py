"""Incremental embedding of one company group's candidates and job openings.

Records are read in id order, a page at a time; each page's texts are built and hashed, and only the records
whose hash differs from the stored one (new, or changed in any field the text uses, or embedded by another
model) are embedded. A page is stored in one transaction, so a crash loses at most the page in flight and a new
run carries on where the last one stopped: pages already stored have matching hashes and cost no embedding.
Then the embeddings of records that are gone (deleted, merged, or a job no longer open) are removed, and the
vector index is caught up.

Which records are embedded: candidates that are not deleted nor merged into another; job openings that are not
deleted and still take candidates (open or on hold). The SQL of ``EmbeddingStore.stale`` says the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.jobs import JobOpening, JobStatus
from hireflow.domain.models.matching import EmbeddedEntity, EmbeddingRow, EmbeddingText
from hireflow.domain.ports.matching import Embedder, EmbeddingStore, VectorIndex
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services.embedding_texts import candidate_embedding_text, job_embedding_text
from hireflow.shared.logging import get_logger

log = get_logger(__name__)

PAGE = 512
"""Records read, hashed and stored per transaction."""
STALE_PAGE = 1000
MATCHABLE_JOB_STATES = frozenset({JobStatus.OPEN, JobStatus.ON_HOLD})
ENTITIES = (EmbeddedEntity.CANDIDATE, EmbeddedEntity.JOB)


def embeddable_candidate(candidate: Candidate) -> bool:
    return candidate.deleted_at is None and candidate.merged_into_id is None


def embeddable_job(job: JobOpening) -> bool:
    return job.deleted_at is None and job.status in MATCHABLE_JOB_STATES


@dataclass
class EmbedCounts:
    """What a run did to one entity's embeddings."""

    entity: EmbeddedEntity
    total: int = 0
    seen: int = 0
    embedded: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds > 0 else 0.0


@dataclass
class EmbedReport:
    """A run's counts per entity, the model, and the index revision each entity ended at."""

    model: str
    counts: list[EmbedCounts] = field(default_factory=list)
    index_revisions: dict[str, int] = field(default_factory=dict)


ProgressCallback = Callable[[EmbedCounts], None]


class EmbeddingService:
    """Embeds what changed since the last run, for one company group."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        company_group_id: int,
        *,
        store: EmbeddingStore,
        embedder: Embedder,
        index: VectorIndex | None = None,
        page_size: int = PAGE,
    ) -> None:
        self._uow_factory, self._company_group_id = uow_factory, company_group_id
        self._store, self._embedder, self._index = store, embedder, index
        self._page_size = page_size

    def run(
        self,
        entities: Sequence[EmbeddedEntity] = ENTITIES,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
    ) -> EmbedReport:
        """Embed new and changed records (every record with ``full``), remove the gone ones, refresh the index."""
        report = EmbedReport(model=self._embedder.model)
        for entity in entities:
            counts = self._embed(entity, full=full, progress=progress)
            report.counts.append(counts)
            if self._index is not None:
                report.index_revisions[entity.value] = self._index.refresh(entity)
            log.info(
                "embeddings.done",
                entity=entity.value,
                embedded=counts.embedded,
                unchanged=counts.unchanged,
                removed=counts.removed,
                seconds=round(counts.seconds, 3),
            )
        return report

    def _embed(self, entity: EmbeddedEntity, *, full: bool, progress: ProgressCallback | None) -> EmbedCounts:
        started = time.perf_counter()
        counts = EmbedCounts(entity=entity, total=self._count(entity))
        after_id: int | None = None
        while True:
            texts, after_id = self._texts(entity, after_id)
            if after_id is None:
                break
            self._store_page(entity, texts, full=full, counts=counts)
            counts.seconds = time.perf_counter() - started
            if progress is not None:
                progress(counts)
        counts.removed = self._remove_gone(entity)
        counts.seconds = time.perf_counter() - started
        if progress is not None:
            progress(counts)
        return counts

    def _store_page(
        self, entity: EmbeddedEntity, texts: list[EmbeddingText], *, full: bool, counts: EmbedCounts
    ) -> None:
        counts.seen += len(texts)
        stored = {} if full else self._store.hashes(entity, [text.record_id for text in texts])
        changed = [text for text in texts if stored.get(text.record_id) != text.content_hash]
        counts.unchanged += len(texts) - len(changed)
        if not changed:
            return
        vectors = self._embedder.embed([text.text for text in changed])
        rows = [
            EmbeddingRow(record_id=text.record_id, content_hash=text.content_hash, vector=vector)
            for text, vector in zip(changed, vectors, strict=True)
        ]
        self._store.write(entity, model=self._embedder.model, dimensions=self._embedder.dimensions, rows=rows)
        counts.embedded += len(rows)

    def _remove_gone(self, entity: EmbeddedEntity) -> int:
        removed, after_id = 0, 0
        while stale := self._store.stale(entity, after_id, STALE_PAGE):
            self._store.write(
                entity,
                model=self._embedder.model,
                dimensions=self._embedder.dimensions,
                rows=(),
                removed=stale,
            )
            removed += len(stale)
            after_id = stale[-1]
        return removed

    def _count(self, entity: EmbeddedEntity) -> int:
        with self._uow_factory(self._company_group_id) as uow:
            repository = uow.candidates if entity is EmbeddedEntity.CANDIDATE else uow.job_openings
            return repository.count()

    def _texts(self, entity: EmbeddedEntity, after_id: int | None) -> tuple[list[EmbeddingText], int | None]:
        """The texts of the next page's embeddable records, and the page's last id (None at the end)."""
        model = self._embedder.model
        with self._uow_factory(self._company_group_id) as uow:
            if entity is EmbeddedEntity.CANDIDATE:
                candidates = uow.candidates.list(limit=self._page_size, after_id=after_id)
                if not candidates:
                    return [], None
                texts = [candidate_embedding_text(model, c) for c in candidates if embeddable_candidate(c)]
                return texts, candidates[-1].id
            jobs = uow.job_openings.list(limit=self._page_size, after_id=after_id)
            if not jobs:
                return [], None
            return self._job_texts(uow, model, jobs), jobs[-1].id

    @staticmethod
    def _job_texts(uow: UnitOfWork, model: str, jobs: Sequence[JobOpening]) -> list[EmbeddingText]:
        live = [job for job in jobs if embeddable_job(job)]
        roles = uow.roles.get_many([job.role_id for job in live if job.role_id is not None])
        return [
            job_embedding_text(model, job, None if job.role_id is None else roles.get(job.role_id))
            for job in live
        ]
