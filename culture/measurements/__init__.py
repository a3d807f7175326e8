"""Measurements: the KPI catalogue, imports (files, the bulk API, survey responses) and the measurement list.

The contract other apps and commands use:

    from culture.measurements import import_measurements, upsert_measurements, STANDARD_KPIS
"""

from __future__ import annotations

from .catalogue import STANDARD_KPIS, save_user_kpi
from .reading import Limits
from .responses import import_responses
from .services import ImportResult, import_measurements, summary_line, upsert_measurements, write_measurement_rows

__all__ = [
    "STANDARD_KPIS",
    "ImportResult",
    "Limits",
    "import_measurements",
    "import_responses",
    "save_user_kpi",
    "summary_line",
    "upsert_measurements",
    "write_measurement_rows",
]
