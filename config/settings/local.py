"""Local demo: SQLite, Celery eager, console email, MFA not enforced so `make run` can be clicked through."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
CENTRIC_REQUIRE_MFA = env.bool("CENTRIC_REQUIRE_MFA", default=False)
