"""The North American shortcut of :func:`normalize_phone` gives exactly what phonenumbers' general path gives:
hypothesis writes numbers the ways people do (and some ways they should not) and compares the two."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hireflow.shared.errors import ValidationFailed
from hireflow.shared.ids import _normalized, _north_american, normalize_phone

# Real area codes of the US, Canada and the Caribbean, toll-free and premium ones, and some that do not exist.
AREA_CODES = [
    "212",
    "415",
    "305",
    "646",
    "416",
    "604",
    "876",
    "242",
    "800",
    "888",
    "900",
    "555",
    "311",
    "199",
    "011",
]
SEPARATORS = ["", " ", ".", "-", "  ", "/", " - "]  # the first four: what the shortcut reads
PREFIXES = ["", "+1", "1", "+1 ", "1-", "1 ", "+1-", "+ 1", "+", "+11", "01", "0", "00", "+0", "11"]
SUFFIXES = ["", "", "", " ext. 123", " x12", "#", "0"]
REGIONS = ["US", "CA", "GB", "JM", "DE", "us"]


def digits(count: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=count, max_size=count)


@st.composite
def written_numbers(draw: st.DrawFn) -> str:
    """Mostly numbers that could be valid (a real area code, an exchange of 2-9, four digits), written with any
    prefix and separators; sometimes anything of that shape."""
    plausible = draw(st.integers(0, 7)) > 0
    area = draw(st.sampled_from(AREA_CODES) | (digits(3) if not plausible else st.nothing()))
    if draw(st.booleans()):
        area = f"({area})" if draw(st.booleans()) else draw(st.sampled_from([f"({area}", f"{area})"]))
    exchange = draw(st.sampled_from("23456789")) + draw(digits(2)) if plausible else draw(digits(3))
    line = draw(digits(4)) if plausible else draw(digits(4) | digits(3) | digits(5))
    separators = st.sampled_from(SEPARATORS[:4] if plausible else SEPARATORS)
    parts = [
        draw(st.sampled_from(PREFIXES)),
        draw(separators),
        area,
        draw(separators),
        exchange,
        draw(separators),
        line,
        draw(st.sampled_from(SUFFIXES[:1] if plausible else SUFFIXES)),
    ]
    padding = draw(st.sampled_from(["", " ", "\t"]))
    return padding + "".join(parts) + padding


def general(raw: str, region: str) -> str | Exception:
    try:
        return _normalized(raw, region)
    except ValidationFailed as failure:
        return failure


@settings(max_examples=3000)
@given(raw=written_numbers(), region=st.sampled_from(REGIONS))
@example(raw="(415) 555-0123", region="US")
@example(raw="1 416 555 0123", region="CA")
@example(raw="+1 876 555 0123", region="GB")
@example(raw="1 212 555 0123", region="GB")  # a leading 1 is not a prefix in the UK: general path
def test_the_shortcut_agrees_with_phonenumbers(raw: str, region: str) -> None:
    quick = _north_american(raw.strip(), region)
    if quick is not None:
        assert quick == general(raw, region)
    found: str | Exception
    try:
        found = normalize_phone(raw, region)
    except ValidationFailed as failure:
        found = failure
    expected = general(raw, region)
    if isinstance(expected, ValidationFailed):
        assert isinstance(found, ValidationFailed)
        assert (found.detail, found.errors) == (expected.detail, expected.errors)
    else:
        assert found == expected


@pytest.mark.parametrize(
    "raw",
    [
        "(415) 555-0123",
        "415.555.0123",
        "415-555-0123",
        "+1 415 555 0123",
        "1-415-555-0123",
        "4155550123",
        "+14155550123",
    ],
)
def test_the_common_ways_of_writing_a_us_number_take_the_shortcut(raw: str) -> None:
    assert _north_american(raw, "US") == "+14155550123"


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("(415) 555-0123 ext. 12", "US"),  # an extension: the general path keeps the number and drops it
        ("416 555 0123", "GB"),  # no +1 and not a North American default region
        ("+1 876 555 0123", "US"),  # Jamaica: not a US number, so phonenumbers decides
        ("(212) 055-0123", "US"),  # not a valid US number: phonenumbers gives the reason
    ],
)
def test_other_numbers_take_the_general_path(raw: str, region: str) -> None:
    assert _north_american(raw, region) is None
