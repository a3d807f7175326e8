"""Structured logs: a request id and the acting user on every record, JSON lines in production.

RequestLogMiddleware takes the request id from X-Request-ID (a proxy's, if it is well formed) or makes one,
echoes it in the response and logs one line per request with its status and duration. The id and user live
in context variables, so every record logged while the request runs (services included) carries them;
Celery tasks carry their task id instead.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is kept only if it is short and plain: it is echoed in a header and written to every line.
_CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# Load balancers poll these every few seconds: their lines are DEBUG, so they do not drown the log.
_QUIET_PATHS = ("/healthz", "/readyz")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)

request_logger = logging.getLogger("centric.request")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and task_id to every record (None outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", None) or request_id_var.get()
        record.user_id = getattr(record, "user_id", None) or user_id_var.get()
        record.task_id = getattr(record, "task_id", None) or _current_task_id()
        return True


def _current_task_id() -> str | None:
    from celery import current_task

    request = getattr(current_task, "request", None) if current_task else None
    return getattr(request, "id", None) if request is not None else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, context and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestLogMiddleware:
    """First in MIDDLEWARE: its timing covers the whole stack, and redirects and errors get the id too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supplied = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = supplied if _CLIENT_ID.fullmatch(supplied) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]  # for views that want to show it
        id_token = request_id_var.set(request_id)
        user_token = user_id_var.set(None)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user_id = _user_id(request)
            user_id_var.set(user_id)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            level = logging.DEBUG if request.path.startswith(_QUIET_PATHS) else logging.INFO
            request_logger.log(
                level,
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, without loading a session or user the request itself never looked at."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def logging_config(output: str = "plain", level: str = "INFO") -> dict:
    """LOGGING for settings: `json` lines for production's log collector, `plain` text to read locally."""
    if output not in {"json", "plain"}:
        raise ValueError(f"log format must be 'json' or 'plain', not {output!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "core.logs.RequestContextFilter"}},
        "formatters": {
            "plain": {"format": "%(levelname)s %(asctime)s %(name)s [%(request_id)s u=%(user_id)s] %(message)s"},
            "json": {"()": "core.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": output, "filters": ["context"]},
        },
        "root": {"handlers": ["console"], "level": level},
        # WeasyPrint logs every layout step at INFO; its warnings (e.g. a missing font) still show.
        "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
    }
