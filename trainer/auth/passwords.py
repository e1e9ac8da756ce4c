"""Password hashing (argon2id) and the password policy."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
# A fixed hash to verify against when the account does not exist, so that an unknown
# e-mail costs the same time as a wrong password.
_DUMMY_PASSWORD = "no-such-account-dummy-password"  # noqa: S105


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"],
        memory_cost=config["PASSWORD_HASH_MEMORY_KIB"],
        parallelism=config["PASSWORD_HASH_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash with the configured cost."""
    return _hasher().hash(password)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return PasswordHasher(time_cost, memory_cost, parallelism).hash(_DUMMY_PASSWORD)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when the password matches; spends the same work when there is no account."""
    hasher = _hasher()
    try:
        if stored_hash is None:
            hasher.verify(
                _dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism), password
            )
            return False
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than the configured ones."""
    return _hasher().check_needs_rehash(stored_hash)


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    # zxcvbn matches common-password lists, dictionary words, keyboard patterns and the
    # user's own name or e-mail; a score below 3 means guessable.
    result = zxcvbn(password[:100], user_inputs=[value for value in user_inputs if value])
    if result["score"] < 3:
        return "This password is too common or easy to guess; try a longer phrase."
    return None
