"""What a dry run would change: the stored figure and the file's, for every row that updates one.

Rows are compared with the database in chunks (one query per chunk of keys) as they stream past, so the
preview lists old -> new values without holding the file in memory; past `limit` changes it only counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import Measurement
from .rules import MeasurementRow

FIGURES = ("value", "numerator", "denominator", "sample_size", "sum_squares", "opening", "gained", "lost", "closing")
CHUNK_ROWS = 2000
BUFFER_CAP = 200_000  # rows compared at the end when they cannot be compared as they come


@dataclass(frozen=True)
class Change:
    """One figure of one stored measurement that the file changes."""

    row: int
    team: str
    kpi: str
    date: dt.date
    channel: str
    column: str
    old: str
    new: str


def _shown(value: object) -> str:
    if value is None:
        return ""
    text = format(value, "f") if not isinstance(value, int) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class ChangeCollector:
    """Collects the changes of validated rows against the stored measurements."""

    limit: int = 1000
    # False while the rows stream into PostgreSQL's COPY: the connection takes no other query until the input
    # ends, so the stored rows are read only at `finish` (from the first BUFFER_CAP rows).
    flush_while_adding: bool = True
    changes: list[Change] = field(default_factory=list)
    _buffer: list[tuple[int, MeasurementRow]] = field(default_factory=list)

    def add(self, number: int, row: MeasurementRow) -> None:
        if len(self.changes) >= self.limit:
            return
        if not self.flush_while_adding and len(self._buffer) >= BUFFER_CAP:
            return
        self._buffer.append((number, row))
        if self.flush_while_adding and len(self._buffer) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        buffered, self._buffer = self._buffer, []
        if not buffered:
            return
        rows = [row for _number, row in buffered]
        stored = {
            (team_id, kpi_id, day, channel): (slug, code, figures)
            for team_id, kpi_id, day, channel, slug, code, *figures in Measurement.objects.filter(
                team_id__in={row.team_id for row in rows},
                kpi_id__in={row.kpi_id for row in rows},
                date__in={row.date for row in rows},
            ).values_list("team_id", "kpi_id", "date", "channel", "team__slug", "kpi__code", *FIGURES)
        }
        for number, row in buffered:
            match = stored.get((row.team_id, row.kpi_id, row.date, row.channel))
            if match is None:
                continue
            slug, code, figures = match
            for name, old in zip(FIGURES, figures, strict=True):
                new = getattr(row, name)
                if old != new and len(self.changes) < self.limit:
                    change = Change(number, slug, code, row.date, row.channel, name, _shown(old), _shown(new))
                    self.changes.append(change)

    def finish(self) -> Sequence[Change]:
        self.flush()
        return self.changes
