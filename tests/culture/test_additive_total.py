"""`total` adds many raw sums in one pass, exactly as adding them in turn does (Decimal exponents included)."""

from decimal import Decimal
from functools import reduce
from operator import add

from hypothesis import given
from hypothesis import strategies as st

from culture.scorecards.additive import Sums, total

_decimals = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=6)
_sums = st.builds(
    Sums,
    rows=st.integers(0, 10**6),
    value=_decimals,
    value_x_n=_decimals,
    n=_decimals,
    numerator=_decimals,
    denominator=_decimals,
    sample_size=st.integers(0, 10**6),
    sum_squares=_decimals,
    last=st.none() | _decimals,
    opening=_decimals,
    lost=_decimals,
    based_teams=st.integers(0, 10),
    closing_gaps=st.integers(0, 10),
)


@given(st.lists(_sums, max_size=12))
def test_total_equals_adding_in_turn(parts):
    expected = reduce(add, parts, Sums())
    result = total(parts)
    assert result == expected
    assert [str(getattr(result, f)) for f in ("value", "numerator", "last")] == [
        str(getattr(expected, f)) for f in ("value", "numerator", "last")
    ]


def test_total_of_nothing_is_empty_and_of_one_is_itself():
    assert total([]) == Sums()
    one = Sums(rows=2, numerator=Decimal("1.50"), last=Decimal("3"))
    assert total(iter([one])) == one
