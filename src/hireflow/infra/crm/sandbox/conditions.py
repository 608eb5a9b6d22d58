"""A small tokenizer and boolean-condition parser shared by Bullhorn's ``where=`` and SOQL's WHERE.

``a AND (b OR c)`` is parsed into disjunctive normal form, ``((a, b), (a, c))``: a tuple of AND-groups joined
by OR, which is what the store answers (see :mod:`.criteria`). Each condition is ``field op literal``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BRANCHES = 32
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}))
    | (?P<date>\d{4}-\d{2}-\d{2})
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<string>'(?:[^'\\]|\\.)*')
    | (?P<op><=|>=|!=|<>|=|<|>)
    | (?P<punct>[(),*])
    | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)


class QuerySyntaxError(ValueError):
    """The query text cannot be parsed; the message says where and why."""


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (``word``, ``number``, ``string``, ``datetime``, ``op``...) and text."""

    kind: str
    text: str
    position: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


@dataclass(frozen=True)
class Condition:
    """``field op value``."""

    field: str
    op: str
    value: Token


Dnf = tuple[tuple[Condition, ...], ...]

_END = Token("end", "", -1)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``; raises QuerySyntaxError at the first character that starts none."""
    tokens: list[Token] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            raise QuerySyntaxError(f"unexpected character {text[position]!r} at position {position + 1}")
        tokens.append(Token(match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup)))
        position = match.end()
    return tokens


class TokenStream:
    """Tokens read one at a time by a recursive-descent parser."""

    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._index = 0

    def peek(self) -> Token:
        return self._tokens[self._index] if self._index < len(self._tokens) else _END

    def next(self) -> Token:
        token = self.peek()
        self._index += 1
        return token

    def accept_word(self, *words: str) -> bool:
        if self.peek().is_word(*words):
            self._index += 1
            return True
        return False

    def expect_word(self, word: str) -> None:
        if not self.accept_word(word):
            raise QuerySyntaxError(f"expected {word}, found {_describe(self.peek())}")

    def expect(self, kind: str, text: str | None = None) -> Token:
        token = self.next()
        if token.kind != kind or (text is not None and token.text != text):
            raise QuerySyntaxError(f"expected {text or kind}, found {_describe(token)}")
        return token

    @property
    def at_end(self) -> bool:
        return self._index >= len(self._tokens)


def parse_conditions(stream: TokenStream, stop_words: tuple[str, ...] = ()) -> Dnf:
    """``cond (AND|OR cond)*`` with parentheses, up to a word of ``stop_words`` or the end, as DNF."""
    branches = _conjunction(stream, stop_words)
    while stream.accept_word("OR"):
        branches = branches + _conjunction(stream, stop_words)
        _check_size(branches)
    return branches


def _conjunction(stream: TokenStream, stop_words: tuple[str, ...]) -> Dnf:
    branches = _atom(stream, stop_words)
    while stream.accept_word("AND"):
        right = _atom(stream, stop_words)
        branches = tuple(left + other for left in branches for other in right)
        _check_size(branches)
    return branches


def _atom(stream: TokenStream, stop_words: tuple[str, ...]) -> Dnf:
    token = stream.peek()
    if token.kind == "punct" and token.text == "(":
        stream.next()
        inner = parse_conditions(stream, stop_words)
        stream.expect("punct", ")")
        return inner
    if token.kind != "word" or token.is_word("AND", "OR", "NOT", *stop_words):
        raise QuerySyntaxError(f"expected a condition, found {_describe(token)}")
    stream.next()
    operator = stream.next()
    if operator.kind != "op":
        raise QuerySyntaxError(f"expected a comparison after {token.text}, found {_describe(operator)}")
    value = stream.next()
    if value.kind not in ("datetime", "date", "number", "string", "word"):
        raise QuerySyntaxError(
            f"expected a value after {token.text} {operator.text}, found {_describe(value)}"
        )
    op = "!=" if operator.text == "<>" else operator.text
    return ((Condition(token.text, op, value),),)


def _check_size(branches: Dnf) -> None:
    if len(branches) > MAX_BRANCHES:
        raise QuerySyntaxError(f"the condition expands to more than {MAX_BRANCHES} OR branches")


def _describe(token: Token) -> str:
    return (
        "the end of the query" if token.kind == "end" else f"'{token.text}' at position {token.position + 1}"
    )
