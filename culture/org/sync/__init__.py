"""People sync from the HR system: a file (CSV/XLSX, mapping presets) or records (REST API, SCIM).

The contract:

    from culture.org.sync import sync_people_records, sync_people_file, SyncResult

    result = sync_people_records(records=[{"employee_id": "E1", "name": ..., "email": ..., "team": ...}],
                                 actor=user, source="scim", dry_run=False)
    result.is_valid, result.errors (row, column, value, reason), result.counts, result.applied

`calculations` computes the plan (pure), `services` reads and applies it, `presets` maps file layouts.
"""

from __future__ import annotations

from .calculations import FIELDS, KIND_LABELS, KINDS, Plan
from .presets import Preset, get_preset, presets
from .services import SyncResult, load_org, sync_people_file, sync_people_records

__all__ = [
    "FIELDS",
    "KINDS",
    "KIND_LABELS",
    "Plan",
    "Preset",
    "SyncResult",
    "get_preset",
    "load_org",
    "presets",
    "sync_people_file",
    "sync_people_records",
]
