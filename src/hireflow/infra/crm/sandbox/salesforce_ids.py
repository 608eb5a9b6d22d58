"""Salesforce record ids: 18 characters, a 3-character key prefix per object, and the case-safe suffix.

``0035g000000AbCdAAK``: key prefix ``003`` (Contact), instance ``5g``, a reserved ``0``, nine base-62 digits of
the sandbox id, then three characters encoding which of the first 15 are upper case. The digits use the
alphabet in ASCII order, so comparing two ids of one object as strings compares the numbers.
"""

from __future__ import annotations

from hireflow.infra.crm.sandbox.config import EntityKind

KEY_PREFIXES: dict[EntityKind, str] = {
    EntityKind.CANDIDATE: "003",
    EntityKind.COMPANY: "001",
    EntityKind.JOB: "006",
}
_INSTANCE = "5g0"
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_VALUES = {char: index for index, char in enumerate(_DIGITS)}
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
# Upper-case letters -> "1", anything else -> "0": the checksum's bits, in one C-speed pass.
_UPPER_BITS = str.maketrans({char: "1" if "A" <= char <= "Z" else "0" for char in _DIGITS})
_WIDTH = 9
LOCATOR_PREFIX = "01g"


def to_base62(number: int, width: int = _WIDTH) -> str:
    digits = []
    while number:
        number, digit = divmod(number, 62)
        digits.append(_DIGITS[digit])
    return "".join(reversed(digits)).rjust(width, "0")


def checksum(id15: str) -> str:
    """The three-character suffix that makes a 15-character id case-insensitively unique."""
    bits = id15.translate(_UPPER_BITS)
    # Within each chunk of five, the first character is the lowest bit: read the chunk backwards.
    return _SUFFIX[int(bits[4::-1], 2)] + _SUFFIX[int(bits[9:4:-1], 2)] + _SUFFIX[int(bits[14:9:-1], 2)]


def salesforce_id(prefix: str, number: int) -> str:
    """The 18-character id of record ``number`` with key prefix ``prefix``."""
    id15 = prefix + _INSTANCE + to_base62(number)
    return id15 + checksum(id15)


def record_id(kind: EntityKind, number: int) -> str:
    return salesforce_id(KEY_PREFIXES[kind], number)


def parse_record_id(kind: EntityKind, text: str) -> int | None:
    """The sandbox id inside a 15- or 18-character id of ``kind``; None when it is not one."""
    if len(text) not in (15, 18) or not text.startswith(KEY_PREFIXES[kind] + _INSTANCE):
        return None
    if len(text) == 18 and checksum(text[:15]) != text[15:]:
        return None
    number = 0
    for char in text[6:15]:
        value = _VALUES.get(char)
        if value is None:
            return None
        number = number * 62 + value
    return number


def org_id() -> str:
    """The sandbox org's id (``00D...``)."""
    return salesforce_id("00D", 1)


def user_id() -> str:
    """The API user's id (``005...``)."""
    return salesforce_id("005", 1)
