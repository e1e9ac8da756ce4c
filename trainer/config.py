"""Configuration classes, read from the environment; no I/O here."""

import os
from datetime import timedelta


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment; each can be overridden by an env var."""

    SECRET_KEY = os.environ.get("SECRET_KEY")  # None: generated into the instance folder
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in the instance folder
    # No ping on every checkout (a round trip per request): trainer/__init__.py pings a
    # pooled connection only when it has been idle for POOL_PING_IDLE_SECONDS.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    RECORDINGS_PATH = os.environ.get("RECORDINGS_PATH")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    SIGNING_KEY_SECRET = os.environ.get("SIGNING_KEY_SECRET")

    # Cookies: HttpOnly and SameSite always; Secure when production says so.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE")
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True

    # argon2id, RFC 9106 "low memory" profile: above the OWASP / ASVS level-2 floor
    # (19 MiB, t=2, p=1).
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_KIB = 65536
    PASSWORD_HASH_PARALLELISM = 4

    API_TOKEN_LIFETIME = timedelta(days=int(os.environ.get("API_TOKEN_DAYS", "30")))
    INVITATION_LIFETIME = timedelta(days=int(os.environ.get("INVITATION_DAYS", "7")))
    API_MAX_PER_PAGE = 200

    RECORDING_MAX_BYTES = int(os.environ.get("RECORDING_MAX_MB", "500")) * 1024 * 1024
    # The request cap sits just above the recording cap so the upload's own check answers.
    MAX_CONTENT_LENGTH = RECORDING_MAX_BYTES + 1024 * 1024
    REQUEST_MAX_BYTES = 1024 * 1024  # every body but a recording upload's (413 above)
    RECORDING_RETENTION_DAYS = int(os.environ.get("RECORDING_RETENTION_DAYS", "90"))
    HARM_FOLLOW_UP_DAYS = int(os.environ.get("HARM_FOLLOW_UP_DAYS", "7"))
    SUMMATIVE_DRAW_COUNT = int(os.environ.get("SUMMATIVE_DRAW_COUNT", "3"))


class ProductionConfig(Config):
    """Production: cookies only over HTTPS unless explicitly turned off."""

    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)


class TestConfig(Config):
    """Tests: cheap password hashing, no rate-limit storage outside memory."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_KIB = 8
    PASSWORD_HASH_PARALLELISM = 1


CONFIGS = {"production": ProductionConfig, "development": Config, "test": TestConfig}
