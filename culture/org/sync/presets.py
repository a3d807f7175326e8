"""Mapping presets for people-sync files: which header holds which field, and the department path separator.

The built-in `standard` preset reads Centric's own column names; `hr_export` reads a common HR-export
layout. A company adds its own in the setting `CENTRIC_PEOPLE_SYNC_PRESETS`:

    CENTRIC_PEOPLE_SYNC_PRESETS = {
        "visma": {"label": "Visma export", "separator": ";", "ignore": ["cost centre"],
                  "columns": {"employee_id": "anst nr", "name": "namn", "email": "e-post", ...}},
    }

Fields a preset does not map keep their standard names; `ignore` lists extra columns the file may carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .calculations import FIELDS, REQUIRED


@dataclass(frozen=True)
class Preset:
    key: str
    label: str | Promise  # built-in labels are translated when shown
    columns: Mapping[str, str] = field(default_factory=dict)  # field -> header as in the file
    separator: str = "/"
    ignore: tuple[str, ...] = ()

    def header(self, name: str) -> str:
        return self.columns.get(name, name).strip().lower()

    def file_columns(self) -> list[str]:
        """Headers to read, in FIELDS order, then the ignored ones (read and dropped)."""
        return [self.header(name) for name in FIELDS] + [name.strip().lower() for name in self.ignore]

    def required_columns(self) -> list[str]:
        return [self.header(name) for name in (*REQUIRED, "department", "team")]


BUILT_IN = {
    "standard": Preset("standard", _("Centric standard (employee_id, name, email, department a/b, team, ...)")),
    "hr_export": Preset(
        "hr_export",
        _("HR export (Employee ID, Full Name, Work Email, Organization a > b, Team, ...)"),
        columns={
            "employee_id": "employee id",
            "name": "full name",
            "email": "work email",
            "department": "organization",
            "team": "team",
            "role": "team role",
            "manager_id": "manager employee id",
            "start_date": "hire date",
            "end_date": "termination date",
            "effective_date": "effective date",
        },
        separator=">",
        ignore=("job title", "location", "cost center"),
    ),
}


def presets() -> dict[str, Preset]:
    """Built-in presets, then the company's own from settings (same key: theirs wins)."""
    found = dict(BUILT_IN)
    for key, spec in getattr(settings, "CENTRIC_PEOPLE_SYNC_PRESETS", {}).items():
        found[key] = Preset(
            key,
            spec.get("label", key),
            columns=dict(spec.get("columns", {})),
            separator=spec.get("separator", "/"),
            ignore=tuple(spec.get("ignore", ())),
        )
    return found


def get_preset(key: str) -> Preset:
    try:
        return presets()[key]
    except KeyError:
        raise ValueError(f"Unknown preset {key!r}; choose one of {', '.join(presets())}.") from None
