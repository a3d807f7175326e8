"""Write audit entries from services; call inside the service's transaction so both land or neither."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a row as JSON-safe values (foreign keys as ids)."""
    return {name: _jsonable(getattr(instance, f"{name}_id", getattr(instance, name))) for name in fields}


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[Any, Any] | None = None,
    after: dict[Any, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one audit entry for `obj`. Never pass personal data in before/after: ids only."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )
