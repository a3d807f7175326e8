"""`total` adds many raw sums in one pass, exactly as adding them in turn does (Decimal exponents included)."""

from dataclasses import FrozenInstanceError, fields, replace
from decimal import Decimal
from functools import reduce
from operator import add

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.scorecards.additive import EMPTY_SUMS, Sums, sums_of, total

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


@given(_sums)
def test_sums_of_builds_the_same_sums_as_the_constructor(sums):
    """`sums_of` (the grouped queries' fast path) gives the object `Sums(**fields)` gives, whether it is handed
    every field or only the non-default ones: equal, same hash, same text, and `replace` and addition work."""
    every = {f.name: getattr(sums, f.name) for f in fields(Sums)}
    # Left out only where the default is the very same figure (Decimal('0.000000') keeps its exponent).
    given_only = {name: value for name, value in every.items() if repr(value) != repr(getattr(EMPTY_SUMS, name))}
    for values in (every, given_only):
        made = sums_of(values)
        assert type(made) is Sums
        assert made == sums
        assert hash(made) == hash(sums)
        assert repr(made) == repr(sums)
        assert replace(made, rows=made.rows + 1) == replace(sums, rows=sums.rows + 1)
        assert made + sums == sums + sums
        assert total([made, sums]) == sums + sums


def test_sums_of_leaves_the_defaults_shared_and_the_object_frozen():
    made = sums_of({"rows": 3, "numerator": Decimal("2.5")})
    assert made == Sums(rows=3, numerator=Decimal("2.5"))
    assert made.denominator == Decimal(0) and made.last is None
    with pytest.raises(FrozenInstanceError):
        made.rows = 4  # type: ignore[misc]
    assert Sums() == EMPTY_SUMS  # the shared empty sums are untouched
