"""Table exports that spreadsheet programs cannot turn into formulas."""

from __future__ import annotations

from typing import Any

from django_tables2.export import TableExport

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Prefix text that a spreadsheet would evaluate (`=cmd|...`) with a quote; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        for index, row in enumerate(dataset):
            dataset[index] = tuple(neutralise_cell(cell) for cell in row)
        return dataset
