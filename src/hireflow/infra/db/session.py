"""The session factory: ``with SessionLocal() as session: ...``.

``SessionLocal`` is created at import time but builds its engine lazily, from :func:`get_settings`, on first use,
so importing this module opens no connection. Point it elsewhere with ``SessionLocal.configure(url)``.
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from hireflow.infra.db.engine import build_engine, engine_from_settings
from hireflow.shared.config import get_settings


class LazySessionFactory:
    """A ``sessionmaker`` whose engine is created on first call and can be re-pointed or disposed."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self._maker: sessionmaker[Session] | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The engine, created from the settings if nothing was configured."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._set_engine(engine_from_settings(get_settings()))
        assert self._engine is not None
        return self._engine

    def configure(self, url_or_engine: str | URL | Engine) -> None:
        """Use another database from now on (tests, multi-database tools)."""
        engine = url_or_engine if isinstance(url_or_engine, Engine) else build_engine(url_or_engine)
        with self._lock:
            self._set_engine(engine)

    def dispose(self) -> None:
        """Close every pooled connection and forget the engine; the next call builds it again."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
            self._engine = None
            self._maker = None

    def __call__(self) -> Session:
        """A new session; use it as a context manager."""
        engine = self.engine
        assert self._maker is not None, engine
        return self._maker()

    def _set_engine(self, engine: Engine) -> None:
        self._engine = engine
        self._maker = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


SessionLocal = LazySessionFactory()
