"""The import wizard's shared steps before the row rules: encoding, column mapping, the file's locale
(chosen, or proposed from a sample with its evidence) and value mapping. Used by the web, the commands and
the API alike through `services.open_import_file`.

An undecided locale ("1,290" and nothing else in the file) stops the import with the evidence and the
question; the caller asks the user and runs again with their `LocaleChoice`.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ImportPreset, Team, TeamAlias
from .filelocale import LocaleChoice, Proposal, detect_encoding, propose
from .mapping import NUMBER_COLUMNS, column_aliases, header_key, normalized_rows, team_lookup
from .reading import (
    DELIMITERS,
    SNIFF_BYTES,
    ZIP_MAGIC,
    FileProblem,
    Limits,
    Table,
    check_width,
    open_table,
    workbook_header,
)
from .rules import RowError
from .sources import SOURCES, open_source_table

# Rows read before the locale is proposed; the rest stream. Enough for every column to show its habits.
SAMPLE_ROWS = 2000
UNDECIDED_QUESTIONS = {
    "decimal": gettext_lazy("Choose the decimal separator (comma or dot)."),
    "date_order": gettext_lazy("Choose the date order (day-first or month-first)."),
}


@dataclass(frozen=True)
class ImportOptions:
    """What the user decided about a file: its locale (blank parts are proposed) and a column mapping
    (file header -> column, "" to ignore), e.g. from a saved preset."""

    choice: LocaleChoice = field(default_factory=LocaleChoice)
    columns: Mapping[str, str] = field(default_factory=dict)
    preset: str = ""
    source: str = ""  # a built-in survey-tool format (`sources.SOURCES`), reshaped before the rows are read

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> ImportOptions | None:
        """Options kept in a session (None: none chosen, so a matching preset applies)."""
        if not data:
            return None
        choice = LocaleChoice(
            decimal=str(data.get("decimal", "")),
            date_order=str(data.get("date_order", "")),
            encoding=str(data.get("encoding", "")),
        )
        columns = data.get("columns") or {}
        assert isinstance(columns, dict)
        mapping = {str(name): str(column) for name, column in columns.items()}
        preset, source = str(data.get("preset", "")), str(data.get("source", ""))
        return cls(choice=choice, columns=mapping, preset=preset, source=source)

    def as_dict(self) -> dict[str, object]:
        choice = self.choice
        return {
            "decimal": choice.decimal,
            "date_order": choice.date_order,
            "encoding": choice.encoding,
            "columns": dict(self.columns),
            "preset": self.preset,
            "source": self.source,
        }

    def key(self) -> str:
        """A short stable text for cache keys: the same options give the same key."""
        mapped = ",".join(f"{name}={column}" for name, column in sorted(self.columns.items()))
        return f"{self.choice.decimal}|{self.choice.date_order}|{self.choice.encoding}|{self.source}|{mapped}"


@dataclass
class Prepared:
    """The opened table with normalized rows, the locale it is read in and the evidence for it."""

    table: Table | None
    options: ImportOptions
    proposal: Proposal | None = None
    problem: str = ""
    header: list[str] = field(default_factory=list)  # the file's header as written (for the mapping form)


def company_zone() -> ZoneInfo:
    """The company's time zone (setting CENTRIC_TIME_ZONE): a timestamp's day is its day there."""
    return ZoneInfo(settings.TIME_ZONE)


def load_team_lookup() -> dict[str, str]:
    """Casefolded slug, name or stored alias -> slug, for every team (scope is checked by the rules)."""
    return team_lookup(Team.objects.values_list("slug", "name"), TeamAlias.objects.values_list("alias", "team__slug"))


def options_of(preset: ImportPreset) -> ImportOptions:
    choice = LocaleChoice(decimal=preset.decimal, date_order=preset.date_order, encoding=preset.encoding)
    return ImportOptions(choice=choice, columns=dict(preset.columns), preset=preset.name)


def peek_header(head: bytes, encoding: str) -> list[str]:
    """The header row as written, from a CSV's first bytes ([] if it cannot be read, or for a workbook:
    `reading.workbook_header` reads that)."""
    if head.startswith(ZIP_MAGIC):
        return []
    try:
        first = head.decode("utf-8-sig" if encoding == "utf-8" else encoding, errors="ignore").splitlines()[0]
    except IndexError:
        return []
    delimiter = max(DELIMITERS, key=first.count)
    return [name.strip() for name in next(csv.reader([first], delimiter=delimiter), [])]


def matching_preset(kind: str, header: Sequence[str]) -> ImportPreset | None:
    """The saved preset whose header is this file's (same columns, any order): used without asking. The
    header is a CSV's first line or a workbook's first row alike."""
    keys = sorted(header_key(name) for name in header)
    if not keys:
        return None
    for preset in ImportPreset.objects.filter(kind=kind).order_by("-created_at", "-pk"):
        if sorted(preset.header) == keys:
            return preset
    return None


def save_preset(*, name: str, kind: str, header: Sequence[str], options: ImportOptions, user) -> ImportPreset:
    """Save (or replace) the named preset of `kind`: the mapping and locale choices the user made."""
    preset, _created = ImportPreset.objects.update_or_create(
        kind=kind,
        name=name,
        defaults={
            "columns": dict(options.columns),
            "header": [header_key(cell) for cell in header],
            "decimal": options.choice.decimal,
            "date_order": options.choice.date_order,
            "encoding": options.choice.encoding,
            "created_by": user,
        },
    )
    return preset


def prepare(
    stream: BinaryIO,
    *,
    kind: str,
    columns: Sequence[str],
    required: Sequence[str],
    limits: Limits,
    options: ImportOptions | None,
) -> Prepared:
    """Open the file in its encoding, map its columns, decide its locale and normalize its rows.

    Without options, a saved preset whose header matches the file's is used; else everything is proposed."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    workbook = head.startswith(ZIP_MAGIC)
    detected = ("utf-8", _("not needed for a workbook")) if workbook else detect_encoding(head)
    # A workbook's header is its first row, read as a CSV's first line is: presets match either.
    header = workbook_header(stream, limits) if workbook else peek_header(head, detected[0])
    try:
        check_width(header, limits.max_columns)  # before presets are matched or a mapping is offered per column
    except FileProblem as problem:
        return Prepared(table=None, options=options or ImportOptions(), problem=str(problem))
    if options is None:
        preset = matching_preset(kind, header)
        options = options_of(preset) if preset is not None else ImportOptions()
    encoding = options.choice.encoding or detected[0]
    try:
        if options.source:
            source = SOURCES[options.source]
            table = open_source_table(stream, source=source, columns=columns, encoding=encoding, limits=limits)
        else:
            table = open_table(
                stream,
                columns=columns,
                required=required,
                limits=limits,
                encoding=encoding,
                aliases=column_aliases(columns, options.columns),
            )
        sample = list(itertools.islice(table.rows, SAMPLE_ROWS))
    except FileProblem as problem:
        shown = header if workbook else peek_header(head, encoding)
        return Prepared(table=None, options=options, problem=str(problem), header=shown)
    number_positions = [index for index, column in enumerate(columns) if column in NUMBER_COLUMNS]
    date_position = columns.index("date")
    cells = [row for _number, row in sample if not isinstance(row, RowError)]
    proposal = propose(
        numbers=(row[index] for row in cells for index in number_positions),
        dates=(row[date_position] for row in cells),
        delimiter=table.delimiter,
        encoding=detected,
        choice=options.choice,
    )
    if not proposal.is_decided:
        questions = " ".join(str(UNDECIDED_QUESTIONS[part]) for part in proposal.undecided)
        question = _("The file can be read more than one way: %(evidence)s %(questions)s") % {
            "evidence": " ".join(proposal.evidence),
            "questions": questions,
        }
        return Prepared(table=None, options=options, proposal=proposal, problem=question, header=table.header)
    table.rows = normalized_rows(
        itertools.chain(sample, table.rows),
        columns=columns,
        locale=proposal.locale,
        zone=company_zone(),
        teams=load_team_lookup(),
    )
    return Prepared(table=table, options=options, proposal=proposal, header=table.header)
