"""Template filters that format through core.formatting in the active language: `{% load formatting %}`.

`{{ value|number:2 }}`, `{{ rate|percent:1 }}`, `{{ amount|money:"SEK" }}`, `{{ day|day }}`,
`{{ created_at|moment }}` (date and time), `{{ starts_at|zoned_moment }}` (with the zone, for emails).
Datetimes are shown in the company's time zone (Django's local time).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from core import formatting

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def number(value, decimals: int = 0) -> str:
    return formatting.format_number(_decimal(value), int(decimals), get_language())


@register.filter
def percent(value, decimals: int = 1) -> str:
    return formatting.format_percent(_decimal(value), int(decimals), get_language())


@register.filter
def money(amount, currency: str) -> str:
    return formatting.format_money(_decimal(amount), currency, get_language())


def _local(value: dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
    """An aware datetime in the company's time zone (its day there), anything else as it is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """A calendar day in the active language: `6 Dec 2026`, sv `6 dec. 2026`; an em dash for none."""
    if value == "":
        value = None
    return formatting.format_day(_local(value), get_language())


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A date and time in the active language: `6 Dec 2026 14:05`, sv `6 dec. 2026 14:05`."""
    if value == "":
        value = None
    local = _local(value)
    if isinstance(local, dt.datetime):
        return formatting.format_moment(local, get_language())
    return formatting.format_day(local, get_language())


@register.filter
def zoned_moment(value: dt.datetime | None) -> str:
    """`moment` with the time zone's abbreviation (`6 Dec 2026 14:05 CET`): for emails, which are read away
    from the app and beside calendars in other zones."""
    local = _local(value or None)
    if not isinstance(local, dt.datetime):
        return formatting.format_day(local, get_language())
    return f"{formatting.format_moment(local, get_language())} {local.tzname()}"


@register.filter
def primary_language(code: str) -> str:
    """`en-gb` -> `en`: a document's lang attribute names the language; the variant only changes formats."""
    return (code or "").split("-")[0]
