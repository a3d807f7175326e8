from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reports.calculations import ValueInputs, revenue_retained, self_service_saving, value_proven

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
