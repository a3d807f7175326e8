"""Production: PostgreSQL and Redis from the environment, HTTPS only, MFA enforced."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CENTRIC_REQUIRE_MFA = env.bool("CENTRIC_REQUIRE_MFA", default=True)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
STORAGES = {
    # Files (pending uploads, reports, CVs) on the local disk or, for several nodes, an S3-compatible bucket.
    "default": default_storage_config(env),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# One JSON object per line for the log collector (core.logs); CENTRIC_LOG_FORMAT=plain to read by eye.
LOGGING = logging_config(env.str("CENTRIC_LOG_FORMAT", default="json"), env("DJANGO_LOG_LEVEL", default="INFO"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
