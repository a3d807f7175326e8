from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reports.calculations import (
    ValueInputs,
    change_range,
    revenue_retained,
    scale_range,
    self_service_saving,
    value_proven,
)

D = Decimal


def _inputs(**changes):
    base = dict(
        customers=20000,
        revenue_per_customer=D("480"),
        cost_per_assisted_contact=D("6.50"),
        cost_per_self_service_contact=D("0.40"),
        retention_rate=D("91.5"),
        previous_retention_rate=D("90.0"),
        self_service_rate=D("38"),
        previous_self_service_rate=D("35"),
        contacts=D("1000000"),
        incentive_spend=D("50000"),
    )
    base.update(changes)
    return ValueInputs(**base)


def test_revenue_retained_worked_example():
    # 1.5 points of 20,000 customers = 300 customers kept, at 480 each.
    assert revenue_retained(
        customers=20000, revenue_per_customer=D("480"), retention_rate=D("91.5"), previous_retention_rate=D("90")
    ) == D("144000")


def test_falling_retention_loses_revenue():
    assert revenue_retained(
        customers=1000, revenue_per_customer=D("100"), retention_rate=D("88"), previous_retention_rate=D("90")
    ) == D("-2000")


def test_self_service_saving_worked_example():
    # 3 points of 1,000,000 contacts = 30,000 contacts moved, each 6.10 cheaper.
    assert self_service_saving(
        contacts=D("1000000"),
        self_service_rate=D("38"),
        previous_self_service_rate=D("35"),
        cost_per_assisted_contact=D("6.50"),
        cost_per_self_service_contact=D("0.40"),
    ) == D("183000")


def test_value_proven_totals_and_return():
    result = value_proven(_inputs())
    assert result.revenue_retained == D("144000")
    assert result.cost_saved == D("183000")
    assert result.total_value == D("327000")
    assert result.return_on_incentives == D("6.54")
    assert len(result.explanations) == 3


def test_explanations_print_counts_with_separators_and_amounts_with_their_currency():
    retention, self_service, _return = value_proven(_inputs(currency="EUR")).explanations
    assert retention == "Retention moved 90.00 % -> 91.50 % on 20,000 customers at EUR 480.00 per customer."
    assert self_service == (
        "Self-service moved 35.00 % -> 38.00 % of 1,000,000 contacts, saving EUR 6.10 per contact moved."
    )


def test_missing_retention_is_unknown_not_zero():
    result = value_proven(_inputs(previous_retention_rate=None))
    assert result.revenue_retained is None
    assert result.total_value == D("183000")
    assert "unknown" in result.explanations[0]


def test_no_spend_gives_no_ratio():
    result = value_proven(_inputs(incentive_spend=D("0")))
    assert result.return_on_incentives is None
    assert result.explanations[-1].startswith("No incentive spend")


def test_nothing_known_gives_zero_value_and_no_ratio():
    result = value_proven(_inputs(retention_rate=None, contacts=None))
    assert (result.revenue_retained, result.cost_saved, result.return_on_incentives) == (None, None, None)
    assert result.total_value == 0


rates = st.decimals(min_value=0, max_value=100, places=2)


@given(rates, rates, rates)
def test_revenue_retained_is_monotone_in_retention(previous, low, high):
    low, high = min(low, high), max(low, high)
    at = lambda rate: revenue_retained(  # noqa: E731
        customers=5000, revenue_per_customer=D("300"), retention_rate=rate, previous_retention_rate=previous
    )
    assert at(low) <= at(high)
    assert at(previous) == 0


def test_a_counted_kpi_has_no_range():
    # retention from customer bases and self-service over all contacts: no intervals, so no range at all
    result = value_proven(_inputs())
    assert result.revenue_range is None and result.saved_range is None and result.total_range is None
    assert result.return_range is None


def test_range_from_the_intervals_of_a_sampled_rate():
    # self-service now 38 (36-40), before 35 (34-36): the change runs from 36-36 = 0 to 40-34 = 6 points;
    # 0 and 6 points of 1,000,000 contacts at 6.10 saved each: 0 to 366,000.
    result = value_proven(
        _inputs(self_service_interval=(D("36"), D("40")), previous_self_service_interval=(D("34"), D("36")))
    )
    assert result.saved_range == (D("0"), D("366000"))
    # revenue retained is exact (144,000), so the total runs 144,000 to 510,000 and its return over 50,000 spend
    assert result.total_range == (D("144000"), D("510000"))
    assert result.return_range == (D("2.88"), D("10.2"))


def test_a_negative_factor_keeps_the_low_end_first():
    assert scale_range((D("-1"), D("2")), D("-100")) == (D("-2"), D("1"))


def test_one_side_without_interval_counts_as_exact():
    assert change_range(D("50"), D("40"), (D("48"), D("52")), None) == (D("8"), D("12"))
    assert change_range(D("50"), D("40"), None, None) is None


@given(
    now=st.decimals(min_value=0, max_value=100, places=2),
    before=st.decimals(min_value=0, max_value=100, places=2),
    spread=st.decimals(min_value=0, max_value=10, places=2),
    factor=st.decimals(min_value=-1000, max_value=1000, places=2),
)
def test_the_point_value_lies_inside_its_range(now, before, spread, factor):
    rng = scale_range(change_range(now, before, (now - spread, now + spread), None), factor)
    point = (now - before) / 100 * factor
    assert rng is not None and rng[0] <= point <= rng[1]
