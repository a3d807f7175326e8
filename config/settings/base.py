"""Settings shared by every environment; each value comes from the environment (12-factor)."""

from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.logs import logging_config
from core.observability import init_sentry

from .sso import social_providers
from .storage import default_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_tables2",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
]
LOCAL_APPS = [
    "core",
    "users",
    "culture",
    "incentives",
    "hiring",
    "reports",
    "scim",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # Outermost: every frame of the request in one roomy stack chunk (core/stackroom.py: CPython 3.11).
    "core.stackroom.StackRoomMiddleware",
    # Then the request id and timing (core.logs) cover everything below, redirects and errors included.
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "users.middleware.IdentityProviderFormActionMiddleware",
    # After authentication: a signed-in user's saved language wins over the cookie and Accept-Language.
    "users.middleware.UserLanguageMiddleware",
    "users.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: email login, no open signup (admins invite), rate limits on the real cache below.
ACCOUNT_ADAPTER = "users.adapters.InviteOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Per client address; the load test (every user on 127.0.0.1) raises it through the environment.
    "login": env("CENTRIC_LOGIN_RATE_LIMIT", default="30/m/ip"),
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "Centric"
# Privileged roles (CCO, HR, admin) must enrol TOTP before using the site; production turns it on.
CENTRIC_REQUIRE_MFA = env.bool("CENTRIC_REQUIRE_MFA", default=True)

# Single sign-on (docs/sso-and-scim.md): the identity providers come from the environment; a sign-in is
# matched to an existing login by email, never creates one. Local passwords can be switched off.
SOCIALACCOUNT_ADAPTER = "users.adapters.SingleSignOnAdapter"
SOCIALACCOUNT_PROVIDERS = social_providers(env)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
CENTRIC_LOCAL_PASSWORDS = env.bool("CENTRIC_LOCAL_PASSWORDS", default=True)
# SCIM provisioning (scim app): teams an identity provider creates are put in this department (by slug).
CENTRIC_SCIM_DEPARTMENT = env("CENTRIC_SCIM_DEPARTMENT", default="provisioned")

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A file cache is shared by every process of a local install, so rate limits still count.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": BASE_DIR / ".cache" / "django",
        }
    }

# Languages: English and Swedish (see docs/translation.md). Each user picks one (users.User.language);
# anonymous visitors get the language cookie or their browser's Accept-Language.
# English is en-gb (day-first dates, as before translation); a browser asking for en or en-us gets it too.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The company's time zone (dates of datetimes, schedules) and the currency new plans and value models start in.
TIME_ZONE = env("CENTRIC_TIME_ZONE", default="UTC")
CENTRIC_CURRENCY = env("CENTRIC_CURRENCY", default="EUR")
# Pulse results are shown only for groups of at least this many answers (and never two groups differing by fewer).
CENTRIC_PULSE_MIN_GROUP = env.int("CENTRIC_PULSE_MIN_GROUP", default=5)
CENTRIC_CHAIN_MIN_TEAMS = env.int("CENTRIC_CHAIN_MIN_TEAMS", default=8)

STATIC_URL = "static/"
# DJANGO_STATIC_ROOT: where collectstatic writes (make prod-smoke reuses a tree collected from the same sources).
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the npm package installed by `make install`, never a copied file.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    # CENTRIC_STORAGE=s3 puts every file in a bucket (config/settings/storage.py); the local disk by default.
    "default": default_storage_config(env),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Centric <centric@localhost>")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "users.authentication.MfaTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    # Too many calls answer 429 with Retry-After; bulk endpoints (throttle_scope "bulk") have their own budget.
    "DEFAULT_THROTTLE_CLASSES": [
        "users.throttles.UserThrottle",
        "users.throttles.TokenThrottle",
        "users.throttles.BulkThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("CENTRIC_API_RATE_USER", default="3000/hour"),
        "token": env("CENTRIC_API_RATE_TOKEN", default="3000/hour"),
        "bulk": env("CENTRIC_API_RATE_BULK", default="120/hour"),
        # The public "verify a report" page (not the API): per client address.
        "verify": env("CENTRIC_VERIFY_RATE", default="30/hour"),
    },
}
# API tokens expire after this many days unless created with another lifetime.
CENTRIC_API_TOKEN_LIFETIME_DAYS = env.int("CENTRIC_API_TOKEN_LIFETIME_DAYS", default=90)
SPECTACULAR_SETTINGS = {
    "TITLE": "Centric API",
    "DESCRIPTION": "Customer-centric KPIs, scorecards, incentives and hiring.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package: no CDN, and it passes our CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: with no broker configured every task runs eagerly in-process, so a newcomer needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# At-least-once delivery: tasks are idempotent, acknowledged after they finish, requeued if a worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}

# Logs (core.logs): every line has the request id and user id; `json` lines for a log collector (production's
# default), `plain` text to read locally. Celery's worker and beat log through the same configuration.
LOGGING = logging_config(env.str("CENTRIC_LOG_FORMAT", default="plain"), env("DJANGO_LOG_LEVEL", default="INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The garbage collector's thresholds in the web process (core/runtime.py), as "a,b,c"; "" keeps Python's.
CENTRIC_GC_THRESHOLDS = env.str("CENTRIC_GC_THRESHOLDS", default="")
# Health (core.health): beat sends a heartbeat task this often; /readyz fails when the worker's or beat's
# last note is older than the maximum age.
CENTRIC_HEARTBEAT_EVERY_SECONDS = env.float("CENTRIC_HEARTBEAT_EVERY_SECONDS", default=30.0)
CENTRIC_HEARTBEAT_MAX_AGE_SECONDS = env.float(
    "CENTRIC_HEARTBEAT_MAX_AGE_SECONDS", default=4 * CENTRIC_HEARTBEAT_EVERY_SECONDS
)
CELERY_BEAT_SCHEDULE["core-heartbeat"] = {
    "task": "core.heartbeat",
    "schedule": CENTRIC_HEARTBEAT_EVERY_SECONDS,
    # A heartbeat nobody ran in time is worthless later: it expires rather than queue up behind a dead worker.
    "options": {"expires": CENTRIC_HEARTBEAT_EVERY_SECONDS},
}
# Load balancers probe over plain HTTP inside the network; the HTTPS redirect would fail them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Error reports (core.observability): Sentry only when SENTRY_DSN is set; no personal data is sent.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Navigation: sections of (label, url name, permission needed or None); see core.context_processors.
CENTRIC_NAVIGATION = [
    (
        _("Culture"),
        [
            (_("Scorecards"), "culture:scorecard_home", "culture.view_scorecard"),
            (_("Reviews"), "culture:review_status", "culture.view_review"),
            (_("Targets"), "culture:target_list", "culture.view_target"),
            (_("Periods"), "culture:period_list", "culture.view_period"),
            (_("Teams"), "culture:team_list", "culture.view_team"),
            (_("People"), "culture:person_list", "culture.view_person"),
            (_("Measurements"), "culture:measurement_list", "culture.view_measurement"),
            (_("Imports"), "culture:importbatch_list", "culture.view_importbatch"),
            (_("KPIs"), "culture:kpi_list", "culture.view_kpi"),
            (_("Pulses"), "culture:pulse_list", "culture.view_pulse"),
        ],
    ),
    (
        _("Incentives"),
        [
            (_("Plans"), "incentives:plan_list", "incentives.view_plan"),
            (_("Statements"), "incentives:statement_list", "incentives.view_payoutline"),
            (_("Questions"), "incentives:dispute_list", "incentives.view_statementdispute"),
        ],
    ),
    (
        _("Hiring"),
        [
            (_("My interviews"), "hiring:my_interviews", None),
            (_("Positions"), "hiring:position_list", "hiring.view_position"),
            (_("Candidates"), "hiring:candidate_list", "hiring.view_candidate"),
            (_("Interviews"), "hiring:interview_list", None),
            (_("Rubrics"), "hiring:rubric_list", "hiring.view_rubric"),
        ],
    ),
    (
        _("Reports"),
        [
            (_("Request a report"), "reports:report_request", None),
            (_("Report archive"), "reports:report_list", None),
            (_("Value model"), "reports:valuemodel_list", "reports.view_valuemodel"),
        ],
    ),
]

# Imports (culture.measurements): a file larger or longer than this is refused before validation; errors
# beyond CENTRIC_IMPORT_MAX_ERRORS are counted but not listed.
CENTRIC_IMPORT_MAX_BYTES = env.int("CENTRIC_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
CENTRIC_IMPORT_MAX_ROWS = env.int("CENTRIC_IMPORT_MAX_ROWS", default=500_000)
# XLSX bounds checked from the archive before parsing (culture.measurements.reading.Limits says why).
CENTRIC_IMPORT_MAX_XLSX_UNCOMPRESSED = env.int("CENTRIC_IMPORT_MAX_XLSX_UNCOMPRESSED", default=64 * 1024 * 1024)
CENTRIC_IMPORT_MAX_XLSX_SHARED_STRINGS = env.int("CENTRIC_IMPORT_MAX_XLSX_SHARED_STRINGS", default=1_000_000)
CENTRIC_IMPORT_MAX_XLSX_SHARED_STRINGS_BYTES = env.int(
    "CENTRIC_IMPORT_MAX_XLSX_SHARED_STRINGS_BYTES", default=16 * 1024 * 1024
)
CENTRIC_IMPORT_MAX_XLSX_CELLS = env.int("CENTRIC_IMPORT_MAX_XLSX_CELLS", default=4_000_000)
# Wider headers are refused before their names are matched (the wizard offers a mapping per column).
CENTRIC_IMPORT_MAX_COLUMNS = env.int("CENTRIC_IMPORT_MAX_COLUMNS", default=500)
CENTRIC_IMPORT_MAX_ERRORS = env.int("CENTRIC_IMPORT_MAX_ERRORS", default=1000)
# Uploads from this size on are checked and written by a Celery job (the page shows its progress).
CENTRIC_IMPORT_ASYNC_BYTES = env.int("CENTRIC_IMPORT_ASYNC_BYTES", default=1024 * 1024)
# Uploads wait here (named by checksum) between the preview and the confirmation.
CENTRIC_IMPORT_UPLOAD_DIR = "imports"

# List exports: an XLSX of more filtered rows than this is written by a Celery job whose page shows its
# progress and then offers the file (core.export_jobs); the workbooks wait in CENTRIC_EXPORT_DIR for a day.
CENTRIC_EXPORT_XLSX_JOB_ROWS = env.int("CENTRIC_EXPORT_XLSX_JOB_ROWS", default=20_000)
CENTRIC_EXPORT_DIR = "exports"
CELERY_BEAT_SCHEDULE["core-purge-stale-exports"] = {
    "task": "core.purge_stale_exports",
    "schedule": crontab(hour=3, minute=25),
}

# Reports: links in emails (the batch of team scorecards) start with this address.
CENTRIC_BASE_URL = env("CENTRIC_BASE_URL", default="http://127.0.0.1:8000")

# Hiring: candidates' personal data is kept this many days after their last application, then anonymised
# by the nightly job below (scores stay, anonymous, for calibration and validity statistics).
HIRING_CANDIDATE_RETENTION_DAYS = env.int("HIRING_CANDIDATE_RETENTION_DAYS", default=365)
CELERY_BEAT_SCHEDULE["hiring-anonymise-expired-candidates"] = {
    "task": "hiring.anonymise_expired_candidates",
    "schedule": crontab(hour=3, minute=15),
}
# 90-day reviews: the reviewers are emailed (once) on the morning a review falls due.
CELERY_BEAT_SCHEDULE["hiring-remind-due-hire-reviews"] = {
    "task": "hiring.remind_due_hire_reviews",
    "schedule": crontab(hour=7, minute=5),
}
# Review actions past their due date: owner and the team's leads are emailed once per action and due date.
CELERY_BEAT_SCHEDULE["culture-remind-overdue-actions"] = {
    "task": "culture.remind_overdue_actions",
    "schedule": crontab(hour=7, minute=10),
}
# The debrief highlights a competency where the panel's ratings spread this many points or more.
HIRING_DEBRIEF_DISAGREEMENT_SPREAD = env.int("HIRING_DEBRIEF_DISAGREEMENT_SPREAD", default=2)
# Quality of hire per competency is shown from this many reviewed hires; below it, "too few hires".
HIRING_QUALITY_MIN_HIRES = env.int("HIRING_QUALITY_MIN_HIRES", default=5)
# The team's customer KPI that quality of hire follows (its change from the hire's quarter to the next).
HIRING_QUALITY_KPI = env("HIRING_QUALITY_KPI", default="csat")

# Scorecard reminders: an hour after an interview, then daily, at most this many per interviewer and
# interview (0 turns them off). The sweep runs every quarter hour; event keys make each reminder one email.
HIRING_SCORECARD_REMINDER_LIMIT = env.int("HIRING_SCORECARD_REMINDER_LIMIT", default=4)
CELERY_BEAT_SCHEDULE["hiring-send-scorecard-reminders"] = {
    "task": "hiring.send_scorecard_reminders",
    "schedule": crontab(minute="*/15"),
}

# Monthly rollups (culture.measurements.rollups): compared with the daily rows every night; any difference
# is logged and sent to the administrators (`manage.py rebuild_rollups` repairs it).
CELERY_BEAT_SCHEDULE["culture-check-rollups"] = {
    "task": "culture.check_rollups",
    "schedule": crontab(hour=2, minute=40),
}

# Scorecards are remembered in the cache until the culture data changes (culture.scorecards.memo; PostgreSQL
# only); 0 turns it off. Entries of older generations simply expire after this long.
CENTRIC_SCORECARD_CACHE_SECONDS = env.int("CENTRIC_SCORECARD_CACHE_SECONDS", default=3600)
# After an import, a worker builds the dashboard's default period again at once (culture.scorecards.tasks), so
# the first reader does not pay for it; on in production, off elsewhere (tests import thousands of times).
CENTRIC_WARM_SCORECARDS = env.bool("CENTRIC_WARM_SCORECARDS", default=False)
# The change rows that version them, one per writing transaction, folded into one every night.
CELERY_BEAT_SCHEDULE["culture-fold-data-changes"] = {
    "task": "culture.fold_data_changes",
    "schedule": crontab(hour=2, minute=50),
}

# Reports whose task message was lost (queued this long) or whose worker died (running past the hard time
# limit) are sent again by a beat job; the claim rule in reports.services makes a duplicate harmless.
REPORTS_REQUEUE_QUEUED_AFTER_SECONDS = env.int("REPORTS_REQUEUE_QUEUED_AFTER_SECONDS", default=600)
REPORTS_REQUEUE_RUNNING_AFTER_SECONDS = env.int(
    "REPORTS_REQUEUE_RUNNING_AFTER_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60
)
# Without a broker (tasks eager) a report is still built off the request: in a background thread started after
# the commit, so the page answers at once and shows progress. Tests turn it off to build in-line.
REPORTS_BACKGROUND_WHEN_EAGER = env.bool("REPORTS_BACKGROUND_WHEN_EAGER", default=True)
CELERY_BEAT_SCHEDULE["reports-requeue-stale"] = {
    "task": "reports.requeue_stale_reports",
    "schedule": env.float("REPORTS_REQUEUE_EVERY_SECONDS", default=60.0),
}

# Repeating pulses: each morning, a pulse whose next opening day has come is published again (invitations
# and emails go out that day); `Pulse.follows` makes it once per pulse however often the job runs.
CELERY_BEAT_SCHEDULE["culture-publish-due-pulses"] = {
    "task": "culture.publish_due_pulses",
    "schedule": crontab(hour=6, minute=0),
}

# Notifications (core.notifications): the outbox is swept every minute, so a message whose task was lost
# still leaves; a row claimed by a worker that died is tried again after the claim timeout.
NOTIFICATION_CLAIM_TIMEOUT = env.int("NOTIFICATION_CLAIM_TIMEOUT", default=600)
CELERY_BEAT_SCHEDULE["core-send-notifications"] = {
    "task": "core.send_notifications",
    "schedule": env.float("NOTIFICATION_SWEEP_EVERY_SECONDS", default=60.0),
}

# Payout adjustments above either limit (absolute amount of one adjustment; sum of the absolute amounts
# of a run's adjustments) need two approvers instead of one (docs/incentives.md).
CENTRIC_ADJUSTMENT_LINE_LIMIT = Decimal(env.str("CENTRIC_ADJUSTMENT_LINE_LIMIT", default="1000"))
CENTRIC_ADJUSTMENT_RUN_LIMIT = Decimal(env.str("CENTRIC_ADJUSTMENT_RUN_LIMIT", default="10000"))

# Gaming signals (incentives.gaming; rules and defaults in docs/kpi-maths.md, "Gaming signals").
GAMING_SIGNALS = {
    "ALPHA": env.float("CENTRIC_GAMING_ALPHA", default=0.001),
    "CLUSTER_ALPHA": env.float("CENTRIC_GAMING_CLUSTER_ALPHA", default=0.01),
    "CLUSTER_BAND_SD": env.float("CENTRIC_GAMING_CLUSTER_BAND_SD", default=0.5),
    "CLUSTER_MIN_DAYS": env.int("CENTRIC_GAMING_CLUSTER_MIN_DAYS", default=8),
    "CLUSTER_MIN_SHARE": env.float("CENTRIC_GAMING_CLUSTER_MIN_SHARE", default=0.75),
    "SURVEY_DROP_RATIO": env.float("CENTRIC_GAMING_SURVEY_DROP_RATIO", default=0.75),
    "SURVEY_HOLD_RATIO": env.float("CENTRIC_GAMING_SURVEY_HOLD_RATIO", default=0.9),
    "AHT_DROP_PCT": env.float("CENTRIC_GAMING_AHT_DROP_PCT", default=10.0),
    "FCR_DROP_POINTS": env.float("CENTRIC_GAMING_FCR_DROP_POINTS", default=3.0),
    "MIX_SHIFT_POINTS": env.float("CENTRIC_GAMING_MIX_SHIFT_POINTS", default=5.0),
    "MIX_EFFECT_POINTS": env.float("CENTRIC_GAMING_MIX_EFFECT_POINTS", default=2.0),
    "HANDLE_TIME_KPI": env("CENTRIC_GAMING_HANDLE_TIME_KPI", default="aht"),
    "REPEAT_KPI": env("CENTRIC_GAMING_REPEAT_KPI", default="repeat_contact_rate"),
}
