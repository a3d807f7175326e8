"""Sums of money that stay exact on SQLite.

SQLite adds DECIMAL columns as binary floats, and Django rounds a decimal back to its field's places only for a
plain column: a sum of adjustments such as 0.50 + -0.51 came back as -0.0100000000000007 and the run total
disagreed with its statements by that much. Rounding the result to the field's places restores the exact sum,
because the float error of adding amounts of at most three places stays far below half of the last place.
PostgreSQL sums NUMERIC exactly; there the rounding changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, Sum

MONEY = DecimalField(max_digits=16, decimal_places=3)


class _RoundedToPlaces:
    output_field: Any
    trimmed = False  # drop the trailing zeros the rounding adds (see TrimmedExactSum)

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)  # type: ignore[misc]
        places = getattr(self.output_field, "decimal_places", None)
        if connection.vendor != "sqlite" or places is None:
            return converters
        quantum = Decimal(1).scaleb(-places)
        trimmed = self.trimmed

        def rounded(value, expression, connection):
            if value is None:
                return None
            exact = Decimal(value).quantize(quantum)
            if not trimmed:
                return exact
            return exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact.normalize()

        return [*converters, rounded]


class ExactSum(_RoundedToPlaces, Sum):
    """`Sum` of a decimal column (or of an expression with `output_field=MONEY`), exact on SQLite too."""


class TrimmedExactSum(ExactSum):
    """`ExactSum` written with as few places as it needs (60, 0.3), as SQLite's float sums were read back
    before: for sums of figures, not money. PostgreSQL sums whole-number columns with no places too, which the
    customer bridge prints ("60", tests/reports/test_churn_surfaces.py)."""

    trimmed = True


class Exact(_RoundedToPlaces, ExpressionWrapper):
    """An annotated decimal expression (`F("total") + F("adjusted")`), rounded to `output_field`'s places."""
