"""Argon2id hashing through pwdlib at the OWASP parameters: hashes verify, and other parameters need a rehash."""

from __future__ import annotations

import pytest

from hireflow.domain.ports.security import PasswordHasher
from hireflow.infra.security import Argon2PasswordHasher

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def hasher() -> Argon2PasswordHasher:
    return Argon2PasswordHasher()


def test_it_is_a_password_hasher(hasher: Argon2PasswordHasher) -> None:
    port: PasswordHasher = hasher
    assert port is hasher


def test_a_hash_is_argon2id_at_the_owasp_parameters(hasher: Argon2PasswordHasher) -> None:
    hashed = hasher.hash(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in hashed


def test_hashes_are_salted(hasher: Argon2PasswordHasher) -> None:
    assert hasher.hash(PASSWORD) != hasher.hash(PASSWORD)


def test_verify(hasher: Argon2PasswordHasher) -> None:
    hashed = hasher.hash(PASSWORD)
    assert hasher.verify(PASSWORD, hashed)
    assert not hasher.verify(PASSWORD + " ", hashed)
    assert not hasher.verify("", hashed)


@pytest.mark.parametrize(
    "bad", ["", "not a hash", "$2b$12$abcdefghijklmnopqrstuuOfxz3l0cQ4o1tq6Q4XxYbB1Gq7mAlxW"]
)
def test_a_malformed_or_foreign_hash_does_not_verify_and_needs_rehash(
    hasher: Argon2PasswordHasher, bad: str
) -> None:
    assert not hasher.verify(PASSWORD, bad)
    assert hasher.needs_rehash(bad)


def test_needs_rehash_only_when_the_parameters_differ(hasher: Argon2PasswordHasher) -> None:
    assert not hasher.needs_rehash(hasher.hash(PASSWORD))
    weaker = Argon2PasswordHasher(memory_cost=8192, time_cost=1, parallelism=1)
    old_hash = weaker.hash(PASSWORD)
    assert hasher.verify(PASSWORD, old_hash)  # old hashes still let their owners in
    assert hasher.needs_rehash(old_hash)
    assert weaker.needs_rehash(hasher.hash(PASSWORD))
    assert hasher.needs_rehash(Argon2PasswordHasher(parallelism=2).hash(PASSWORD))
