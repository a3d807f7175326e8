"""Measurements: the KPI catalogue, imports (files, the bulk API, survey responses) and the measurement list.

The contract other apps and commands use:

    from culture.measurements import import_measurements, upsert_measurements, STANDARD_KPIS
"""

from __future__ import annotations

from .catalogue import STANDARD_KPIS, save_user_kpi
from .filelocale import FileLocale, LocaleChoice
from .reading import Limits
from .responses import import_responses
from .services import ImportResult, import_measurements, summary_line, upsert_measurements, write_measurement_rows
from .wizard import ImportOptions, save_preset

__all__ = [
    "STANDARD_KPIS",
    "FileLocale",
    "ImportOptions",
    "ImportResult",
    "Limits",
    "LocaleChoice",
    "import_measurements",
    "import_responses",
    "save_preset",
    "save_user_kpi",
    "summary_line",
    "upsert_measurements",
    "write_measurement_rows",
]
