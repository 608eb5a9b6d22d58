"""Occupation reference files: task exposure ("GPTs are GPTs") and employment and wages (BLS OES), as tables
keyed by 2018 SOC code for :func:`hireflow.domain.services.workforce_scenarios.resolve_roles`.

Where users get them (Hireflow does not ship them):

- exposure: ``data/occ_level.csv`` in the repository openai/GPTs-are-GPTs (Eloundou et al., 2023; MIT);
- wages: the BLS OES national file for May 2021 (``national_M2021_dl``, saved as CSV; also in that repository
  as ``data/national_May2021_dl.csv``).

A broken file raises ValidationFailed naming the file and every missing column or bad cell (with its line).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import get_args

from hireflow.domain.models.workforce import Measure, Rater
from hireflow.domain.ports.workforce import OccupationExposure, OccupationWage
from hireflow.shared.errors import NotFound, ValidationFailed

SOC_COLUMN = "O*NET-SOC Code"
EXPOSURE_COLUMNS = tuple(
    f"{rater}_rating_{measure}" for rater in get_args(Rater) for measure in get_args(Measure)
)
WAGE_COLUMNS = ("OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "A_MEAN", "A_MEDIAN")
SUPPRESSED = frozenset({"*", "#", "**", ""})
"""OES markers: ``*`` and ``**`` = not released, ``#`` = top-coded (at least $208,000 a year); empty = none."""
_GROUP_ORDER = {"detailed": 0, "broad": 1, "minor": 2, "major": 3, "total": 4}
_MAX_LISTED = 20


def load_occupation_exposures(path: str | Path) -> dict[str, OccupationExposure]:
    """Exposures by SOC code from a "GPTs are GPTs" occupation-level file (``occ_level.csv``).

    The SOC code is the first seven characters of the O*NET-SOC code (``13-1071.00`` → ``13-1071``). When
    several O*NET occupations share a SOC code (``15-1299.01`` … ``15-1299.09``), their exposures are averaged
    without weights (O*NET gives no employment per detailed occupation), their titles are joined with ``; ``
    and ``onet_codes`` lists them. Exposures must lie in 0-1.
    """
    path = Path(path)
    grouped: dict[str, list[tuple[str, str, dict[tuple[Rater, Measure], float]]]] = defaultdict(list)
    errors: list[dict[str, str]] = []
    for line, row in _rows(path, "occupation exposure file", (SOC_COLUMN, "Title", *EXPOSURE_COLUMNS)):
        onet_code = row[SOC_COLUMN].strip()
        shares: dict[tuple[Rater, Measure], float] = {}
        for rater in get_args(Rater):
            for measure in get_args(Measure):
                column = f"{rater}_rating_{measure}"
                value = _share(row[column])
                if value is None:
                    errors.append(
                        _cell(line, column, f"expected a share between 0 and 1, got {row[column]!r}")
                    )
                else:
                    shares[(rater, measure)] = value
        if len(onet_code) < 7:
            errors.append(_cell(line, SOC_COLUMN, f"expected an O*NET-SOC code, got {onet_code!r}"))
            continue
        grouped[onet_code[:7]].append((onet_code, row["Title"].strip(), shares))
    _raise_if(errors, path)
    return {code: _averaged(code, members) for code, members in grouped.items()}


def load_oes_wages(path: str | Path) -> dict[str, OccupationWage]:
    """Employment and annual wages by SOC code from a BLS OES national file.

    Every occupation group is kept (``O_GROUP``: detailed, broad, minor, major, total); when a code appears in
    two groups (``13-1020`` is both broad and detailed), the more detailed row wins. Suppressed or top-coded
    values (``*``, ``#``, ``**``) become None; wages become integer U.S. cents.
    """
    path = Path(path)
    wages: dict[str, OccupationWage] = {}
    errors: list[dict[str, str]] = []
    for line, row in _rows(path, "OES wage file", WAGE_COLUMNS):
        values: dict[str, int | None] = {}
        for column, scale in (("TOT_EMP", 1), ("A_MEAN", 100), ("A_MEDIAN", 100)):
            try:
                values[column] = _number(row[column], scale)
            except ValueError as error:
                errors.append(_cell(line, column, str(error)))
        code, group = row["OCC_CODE"].strip(), row["O_GROUP"].strip()
        if len(values) < 3:
            continue
        known = wages.get(code)
        if known is None or _GROUP_ORDER.get(group, 9) < _GROUP_ORDER.get(known.group, 9):
            wages[code] = OccupationWage(
                soc_code=code,
                title=row["OCC_TITLE"].strip(),
                group=group,
                employment=values["TOT_EMP"],
                annual_mean_cents=values["A_MEAN"],
                annual_median_cents=values["A_MEDIAN"],
            )
    _raise_if(errors, path)
    return wages


def _rows(path: Path, what: str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV file that has the ``required`` columns; a BOM is skipped."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise NotFound(what, str(path)) from None
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in required if name not in header]
        if missing:
            listed = ", ".join(repr(name) for name in missing)
            raise ValidationFailed(
                f"{path}: missing column(s) {listed}; is it the right file? (see docs/workforce.md)",
                [{"field": name, "message": "missing column"} for name in missing],
            )
        reader.fieldnames = header
        try:
            for row in reader:
                yield reader.line_num, {key: value or "" for key, value in row.items() if key is not None}
        except (csv.Error, UnicodeDecodeError) as error:
            raise ValidationFailed(f"{path}: unreadable at line {reader.line_num + 1}: {error}") from None


def _share(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


def _number(text: str, scale: int) -> int | None:
    """``text`` (thousands separators allowed) times ``scale`` as an int; None for a suppressed value."""
    cleaned = text.strip().replace(",", "")
    if cleaned in SUPPRESSED:
        return None
    try:
        value = Decimal(cleaned) * scale
    except InvalidOperation:
        raise ValueError(f"expected a number or one of * # **, got {text!r}") from None
    if not value.is_finite() or value != value.to_integral_value() or value < 0:
        raise ValueError(f"expected a whole, non-negative amount, got {text!r}")
    return int(value)


def _averaged(
    code: str, members: list[tuple[str, str, dict[tuple[Rater, Measure], float]]]
) -> OccupationExposure:
    keys = members[0][2].keys()
    return OccupationExposure(
        soc_code=code,
        title="; ".join(title for _, title, _ in members),
        shares={key: sum(shares[key] for _, _, shares in members) / len(members) for key in keys},
        onet_codes=tuple(onet for onet, _, _ in members),
    )


def _cell(line: int, column: str, message: str) -> dict[str, str]:
    return {"field": f"line {line}, {column}", "message": message}


def _raise_if(errors: list[dict[str, str]], path: Path) -> None:
    if errors:
        listed = "; ".join(f"{error['field']}: {error['message']}" for error in errors[:_MAX_LISTED])
        more = f" (and {len(errors) - _MAX_LISTED} more)" if len(errors) > _MAX_LISTED else ""
        raise ValidationFailed(f"{path}: {len(errors)} bad value(s): {listed}{more}", errors)
