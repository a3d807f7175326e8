"""Data migrations load the live catalogue as their historical Kpi model can hold it (`catalogue_for`)."""

from django.db.migrations.loader import MigrationLoader

from culture.measurements import STANDARD_KPIS
from culture.measurements.catalogue import catalogue_for


def _kpi_model_after(migration: str):
    state = MigrationLoader(None, ignore_no_migrations=True).project_state(("culture", migration))
    return state.apps.get_model("culture", "Kpi")


def test_before_the_stock_kpis_churn_and_retention_load_as_the_ratios_they_were():
    kpi = _kpi_model_after("0003_kpis_periods_targets")  # what 0004_standard_kpis sees
    rows = {row["code"]: row for row in catalogue_for(kpi)}
    assert set(rows) == {row["code"] for row in STANDARD_KPIS}
    assert (rows["churn_rate"]["aggregation"], rows["retention_rate"]["aggregation"]) == ("ratio", "ratio")
    fields = {field.name for field in kpi._meta.concrete_fields}
    assert all(set(row) <= fields for row in rows.values())
    # Every other aggregation is one the column held then.
    assert {row["aggregation"] for row in rows.values()} <= {"sum", "mean", "last", "ratio"}


def test_from_the_stock_migration_on_the_catalogue_loads_unchanged():
    kpi = _kpi_model_after("0009_stock_customer_bases")
    assert catalogue_for(kpi) == STANDARD_KPIS
