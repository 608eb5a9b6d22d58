"""Argon2id password hashing through pwdlib, at the OWASP Password Storage Cheat Sheet's parameters."""

from __future__ import annotations

from hireflow.shared.errors import MissingExtraError

try:
    from pwdlib.hashers.argon2 import Argon2Hasher
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("server", "password hashing") from exc

# OWASP: argon2id with 19 MiB of memory, 2 iterations and 1 degree of parallelism.
MEMORY_COST_KIB = 19456
TIME_COST = 2
PARALLELISM = 1


class Argon2PasswordHasher:
    """A :class:`~hireflow.domain.ports.security.PasswordHasher` using argon2id.

    Hashes carry their parameters, so hashes made with other ones still verify, and :meth:`needs_rehash` tells
    when to store a fresh hash (after the next successful sign-in, when the plain password is at hand).
    """

    def __init__(
        self, memory_cost: int = MEMORY_COST_KIB, time_cost: int = TIME_COST, parallelism: int = PARALLELISM
    ) -> None:
        self._hasher = Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)

    def hash(self, password: str) -> str:
        """A salted argon2id hash of ``password``, in the PHC string format."""
        return self._hasher.hash(password)

    def verify(self, password: str, password_hash: str) -> bool:
        """True when ``password`` matches; False for a wrong password or a hash that is not argon2."""
        if not self._hasher.identify(password_hash):
            return False
        return self._hasher.verify(password, password_hash)

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash is not argon2id at this hasher's parameters."""
        if not self._hasher.identify(password_hash) or not password_hash.startswith("$argon2id$"):
            return True
        return self._hasher.check_needs_rehash(password_hash)
