"""Where commands print: rich consoles that take text literally, so a name like ``[Beta]`` stays as typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def console(*, stderr: bool = False) -> Console:
    """A console on stdout (results) or stderr (progress), with markup and highlighting off."""
    from rich.console import Console

    return Console(stderr=stderr, markup=False, highlight=False)
