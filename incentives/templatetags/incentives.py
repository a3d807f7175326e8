from decimal import Decimal

from django import template

from incentives.explain import money_text

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    """`{{ line.amount|money:run.currency }}` -> `EUR 437.50`, sv `437,50 €` (active language)."""
    if amount is None or amount == "":
        return ""
    return money_text(Decimal(amount), currency)
