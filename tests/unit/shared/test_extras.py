"""Optional extras fail with one line naming the pip command."""

from __future__ import annotations

import sys

import pytest

from hireflow.shared.errors import MissingExtraError
from hireflow.shared.extras import EXTRAS, is_installed, require


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_missing_extra_raises_one_line_with_the_fix(extra: str, monkeypatch: pytest.MonkeyPatch) -> None:
    module = EXTRAS[extra][0]
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` raise ImportError
    with pytest.raises(MissingExtraError) as caught:
        require(extra, module)
    assert str(caught.value).endswith(f"pip install 'hireflow[{extra}]'")
    assert "\n" not in str(caught.value)
    assert not is_installed(extra)


def test_installed_module_is_returned() -> None:
    assert require("postgres", "psycopg").__name__ == "psycopg"


def test_unknown_extra_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown extra"):
        require("nope", "json")


def test_postgres_url_without_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from hireflow.infra.db.engine import build_engine

    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingExtraError, match=r"hireflow\[postgres\]"):
        build_engine("postgresql://postgres@127.0.0.1/db")
