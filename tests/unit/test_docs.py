"""The docs name every table the code has."""

from __future__ import annotations

from pathlib import Path

from hireflow.infra.db import tables  # noqa: F401 - registers every table
from hireflow.infra.db.base import metadata

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_data_model_page_lists_every_table() -> None:
    text = (DOCS / "data-model.md").read_text()
    missing = [name for name in metadata.tables if f"| `{name}` |" not in text]
    assert missing == []
