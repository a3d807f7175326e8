"""Test settings: fast hashing, in-memory mail and cache; the database comes from DATABASE_URL (SQLite default)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / ".test-media")
CENTRIC_REQUIRE_MFA = True
REPORTS_BACKGROUND_WHEN_EAGER = False  # reports build in-line in tests (a test may turn it on)
