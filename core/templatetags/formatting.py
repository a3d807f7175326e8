"""Template filters that format through core.formatting in the active language: `{% load formatting %}`.

`{{ value|number:2 }}`, `{{ rate|percent:1 }}`, `{{ amount|money:"SEK" }}`, `{{ day|day }}`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
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


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    return formatting.format_day(value, get_language())


@register.filter
def primary_language(code: str) -> str:
    """`en-gb` -> `en`: a document's lang attribute names the language; the variant only changes formats."""
    return (code or "").split("-")[0]
