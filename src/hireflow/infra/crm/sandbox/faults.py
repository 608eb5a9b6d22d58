"""Injectable faults: what goes wrong, on which data request, parsed from ``KIND:key=value:...`` strings.

Faults are decided by the data-request counter (and, for ``rate=``, a hash of the seed and the counter), never
by the wall clock, so a run with the same requests meets the same faults. Syntax (docs/crm-sandboxes.md)::

    429:every=N[:retry_after=S][:policy=SECONDLY|TEN_SECONDLY_ROLLING]
    500:every=N | 500:rate=R        503:every=N[:retry_after=S]
    slow:every=N:delay=S            timeout:every=N[:delay=S]        (delays in seconds; timeout defaults to 30)
    malformed:rate=R                share of invalid records (default 0.01; 0 turns them off)
    malformed-json:every=N          a data response whose JSON body is cut in half
    token-expiry:after=N            a token or session stops working after N data requests
    redirect:every=N                Bullhorn only: 307 to the same path under another data center
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from hireflow.infra.crm.sandbox.draws import unit_interval
from hireflow.shared.errors import ValidationFailed

DEFAULT_MALFORMED_RATE = 0.01
_FAULT_SALT = 0x5A17


class FaultKind(StrEnum):
    """What can go wrong."""

    RATE_LIMIT = "429"
    SERVER_ERROR = "500"
    UNAVAILABLE = "503"
    SLOW = "slow"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"
    MALFORMED_JSON = "malformed-json"
    TOKEN_EXPIRY = "token-expiry"  # noqa: S105 - a fault kind, not a secret
    REDIRECT = "redirect"


RATE_LIMIT_POLICIES = ("SECONDLY", "TEN_SECONDLY_ROLLING")
_SCHEDULE = frozenset({"every", "rate"})
_OPTIONS: dict[FaultKind, frozenset[str]] = {
    FaultKind.RATE_LIMIT: _SCHEDULE | {"retry_after", "policy"},
    FaultKind.SERVER_ERROR: _SCHEDULE,
    FaultKind.UNAVAILABLE: _SCHEDULE | {"retry_after"},
    FaultKind.SLOW: _SCHEDULE | {"delay"},
    FaultKind.TIMEOUT: _SCHEDULE | {"delay"},
    FaultKind.MALFORMED: frozenset({"rate"}),
    FaultKind.MALFORMED_JSON: _SCHEDULE,
    FaultKind.TOKEN_EXPIRY: frozenset({"after"}),
    FaultKind.REDIRECT: _SCHEDULE,
}
_DEFAULT_DELAY = {FaultKind.SLOW: 2.0, FaultKind.TIMEOUT: 30.0}
_N = TypeVar("_N", int, float)
_EXAMPLE = "e.g. 429:every=10:retry_after=2, 500:rate=0.05, slow:every=7:delay=1.5 or token-expiry:after=50"


@dataclass(frozen=True)
class FaultRule:
    """One fault: its kind and when it fires (every N-th data request, or a share of them)."""

    kind: FaultKind
    every: int | None = None
    rate: float | None = None
    delay: float = 0.0
    retry_after: int = 1
    policy: str = "SECONDLY"
    after: int | None = None

    def fires(self, request_number: int, seed: int, index: int) -> bool:
        """Whether this rule hits the ``request_number``-th data request (1-based)."""
        if self.every is not None:
            return request_number % self.every == 0
        if self.rate is not None:
            return unit_interval(seed, _FAULT_SALT, index, request_number) < self.rate
        return False

    def spec(self) -> str:
        """The rule written back in the CLI syntax."""
        parts = [self.kind.value]
        if self.every is not None:
            parts.append(f"every={self.every}")
        if self.rate is not None:
            parts.append(f"rate={self.rate:g}")
        if self.after is not None:
            parts.append(f"after={self.after}")
        if self.kind in _DEFAULT_DELAY:
            parts.append(f"delay={self.delay:g}")
        if self.kind in (FaultKind.RATE_LIMIT, FaultKind.UNAVAILABLE):
            parts.append(f"retry_after={self.retry_after}")
        if self.kind is FaultKind.RATE_LIMIT:
            parts.append(f"policy={self.policy}")
        return ":".join(parts)


@dataclass(frozen=True)
class FaultPlan:
    """The faults a sandbox injects. ``FaultPlan()`` injects none, apart from 1% malformed records."""

    rules: tuple[FaultRule, ...] = ()
    malformed_rate: float = DEFAULT_MALFORMED_RATE

    @property
    def kinds(self) -> frozenset[FaultKind]:
        """The kinds of the request faults planned (``malformed`` is a share of data, not a rule)."""
        return frozenset(rule.kind for rule in self.rules)

    @classmethod
    def parse(cls, specs: Iterable[str]) -> FaultPlan:
        """Parse CLI-style specs; each string may hold several specs separated by commas or spaces."""
        return parse_faults(specs)

    def request_fault(self, request_number: int, seed: int) -> FaultRule | None:
        """The fault hitting this data request: the first rule, in plan order, that fires on it."""
        for index, rule in enumerate(self.rules):
            if rule.after is None and rule.fires(request_number, seed, index):
                return rule
        return None

    @property
    def token_uses(self) -> int | None:
        """How many data requests a token serves before it expires, when ``token-expiry`` is planned."""
        for rule in self.rules:
            if rule.kind is FaultKind.TOKEN_EXPIRY:
                return rule.after
        return None

    def specs(self) -> list[str]:
        """The plan in CLI syntax, malformed share included."""
        return [f"malformed:rate={self.malformed_rate:g}", *(rule.spec() for rule in self.rules)]


def parse_faults(specs: Iterable[str], *, malformed_rate: float = DEFAULT_MALFORMED_RATE) -> FaultPlan:
    """A FaultPlan from specs like ``["429:every=10:retry_after=2", "malformed:rate=0"]``.

    ``malformed_rate`` is the share of malformed records when no ``malformed`` spec sets it.
    Raises ValidationFailed naming the bad spec and the fix.
    """
    rules: list[FaultRule] = []
    for text in specs:
        for spec in text.replace(",", " ").split():
            rule = parse_fault(spec)
            if rule.kind is FaultKind.MALFORMED:
                malformed_rate = rule.rate if rule.rate is not None else DEFAULT_MALFORMED_RATE
            else:
                rules.append(rule)
    if sum(rule.kind is FaultKind.TOKEN_EXPIRY for rule in rules) > 1:
        raise _bad("token-expiry", "give token-expiry at most once")
    return FaultPlan(rules=tuple(rules), malformed_rate=malformed_rate)


def parse_fault(spec: str) -> FaultRule:
    """One rule from ``KIND:key=value:...``."""
    name, *options = spec.strip().split(":")
    try:
        kind = FaultKind(name.lower())
    except ValueError:
        known = ", ".join(kind.value for kind in FaultKind)
        raise _bad(spec, f"unknown fault kind '{name}'; known: {known}") from None
    values: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        key = key.strip().lower()
        if not sep or not value.strip():
            raise _bad(spec, f"'{option}' is not key=value")
        if key not in _OPTIONS[kind]:
            raise _bad(
                spec, f"unknown option '{key}' for {kind.value}; allowed: {', '.join(sorted(_OPTIONS[kind]))}"
            )
        values[key] = value.strip()
    return _build_rule(spec, kind, values)


def _build_rule(spec: str, kind: FaultKind, values: dict[str, str]) -> FaultRule:
    rule = FaultRule(kind=kind, delay=_DEFAULT_DELAY.get(kind, 0.0))
    if "every" in values and "rate" in values:
        raise _bad(spec, "give every=N or rate=R, not both")
    if "every" in values:
        rule = replace(rule, every=_number(spec, "every", values["every"], int, minimum=1))
    if "rate" in values:
        rate = _number(spec, "rate", values["rate"], float, minimum=0.0)
        if rate > 1:
            raise _bad(spec, f"rate must be between 0 and 1, not {values['rate']}")
        rule = replace(rule, rate=rate)
    if "after" in values:
        rule = replace(rule, after=_number(spec, "after", values["after"], int, minimum=1))
    if "delay" in values:
        rule = replace(rule, delay=_number(spec, "delay", values["delay"], float, minimum=0.0))
    if "retry_after" in values:
        rule = replace(rule, retry_after=_number(spec, "retry_after", values["retry_after"], int, minimum=0))
    if "policy" in values:
        policy = values["policy"].upper()
        if policy not in RATE_LIMIT_POLICIES:
            raise _bad(spec, f"policy must be one of {', '.join(RATE_LIMIT_POLICIES)}")
        rule = replace(rule, policy=policy)
    _require_schedule(spec, rule)
    return rule


def _require_schedule(spec: str, rule: FaultRule) -> None:
    if rule.kind is FaultKind.TOKEN_EXPIRY:
        if rule.after is None:
            raise _bad(spec, "token-expiry needs after=N (data requests per token)")
    elif rule.kind is FaultKind.MALFORMED:
        if rule.rate is None:
            raise _bad(spec, "malformed needs rate=R (a share between 0 and 1)")
    elif rule.every is None and rule.rate is None:
        raise _bad(spec, f"{rule.kind.value} needs every=N or rate=R")


def _number(spec: str, key: str, text: str, kind: type[_N], *, minimum: _N) -> _N:
    try:
        value = kind(text)
    except ValueError:
        raise _bad(
            spec, f"{key} must be {'an integer' if kind is int else 'a number'}, not '{text}'"
        ) from None
    if value < minimum:
        raise _bad(spec, f"{key} must be at least {minimum}, not {text}")
    return value


def _bad(spec: str, reason: str) -> ValidationFailed:
    return ValidationFailed(
        f"bad fault spec '{spec}': {reason} ({_EXAMPLE})",
        [{"field": "faults", "message": reason, "input": spec}],
    )
