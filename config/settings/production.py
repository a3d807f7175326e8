"""Production: PostgreSQL and Redis from the environment, HTTPS only, MFA enforced.

It refuses to start without the values that have a dangerous or local-only default elsewhere: the secret
key, allowed hosts, a real database and a Celery broker (eager tasks would run inside the web request).
"""

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor  # type: ignore[import-untyped]

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, SPECTACULAR_SETTINGS, env


def _required(name: str, why: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"Production settings need {name} in the environment: {why}.")
    return value


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY", "sessions and tokens are signed with it")
ALLOWED_HOSTS = [host.strip() for host in _required("DJANGO_ALLOWED_HOSTS", "the host names served").split(",")]
DATABASES = {"default": env.db_url_config(_required("DATABASE_URL", "a PostgreSQL URL, postgres://..."))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("Production settings need DATABASE_URL to be PostgreSQL, not SQLite.")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
CELERY_BROKER_URL = _required("CELERY_BROKER_URL", "reports and imports run on a worker, never in the request")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CENTRIC_REQUIRE_MFA = env.bool("CENTRIC_REQUIRE_MFA", default=True)
CENTRIC_WARM_SCORECARDS = env.bool("CENTRIC_WARM_SCORECARDS", default=True)  # see base.py

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
STORAGES = {
    # Files (pending uploads, reports, CVs) on the local disk or, for several nodes, an S3-compatible bucket.
    "default": default_storage_config(env),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# collectstatic compresses (Brotli and gzip) only what is served: the hashed names the templates link to, not
# the unhashed copies, and not source maps, which only a browser's developer tools fetch. That cut it from
# 243 s to 43 s on 2 busy cores (docs/deployment.md#static-files).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
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

# The schema lists every endpoint and field: only signed-in users (session or API token) may read it.
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"],
}
