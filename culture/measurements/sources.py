"""Built-in presets for survey tools' own exports: Qualtrics, Zendesk and Netigate. Pure: stdlib only.

A survey tool writes one row per respondent (Qualtrics and Netigate: one column per question, under extra
header rows; Zendesk: "Good"/"Bad" ratings). A `SourceFormat` reshapes such an export into the response
import's rows (team, survey, date, channel, score, respondent), keeping the file's own row numbers, and
the usual pipeline (locale, value mapping, row rules) takes it from there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .mapping import header_key
from .reading import DELIMITERS, FileProblem, Limits, Table, _KeepOpen, too_many_rows
from .rules import RowError


@dataclass(frozen=True)
class SourceFormat:
    """How one tool's export maps onto response rows.

    `columns`: header key -> import column; `questions`: header key of a question column -> survey code
    (one response per answered question); `constants`: import column -> value for every row; `values`:
    import column -> {casefolded file value: import value}; `skip`: import column -> casefolded values
    whose rows carry no response (an offered but unanswered rating)."""

    name: str
    label: str | Promise
    header_rows: int = 1
    columns: Mapping[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    skip: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


SOURCES: dict[str, SourceFormat] = {
    source.name: source
    for source in (
        SourceFormat(
            name="qualtrics",
            label=gettext_lazy("Qualtrics responses export (CSV, three header rows)"),
            header_rows=3,
            columns={"team": "team", "recordeddate": "date", "responseid": "respondent", "channel": "channel"},
            questions={"q_nps": "nps", "q_csat": "csat", "q_ces": "ces"},
        ),
        SourceFormat(
            name="zendesk",
            label=gettext_lazy("Zendesk satisfaction ratings export (Good/Bad)"),
            columns={
                "group": "team",
                "rated_at": "date",
                "ticket_id": "respondent",
                "channel": "channel",
                "satisfaction": "score",
            },
            constants={"survey": "csat"},
            # CSAT is 1-5 with 4-5 satisfied: Good is a 5, Bad a 1.
            values={"score": {"good": "5", "bad": "1"}, "channel": {"web": "self_service", "web widget": "chat"}},
            skip={"score": ("offered", "unoffered", "")},
        ),
        SourceFormat(
            name="netigate",
            label=gettext_lazy("Netigate export (semicolon CSV, one column per question)"),
            columns={"respondent_id": "respondent", "submitted": "date", "department": "team"},
            questions={"q1_nps": "nps", "q2_ces": "ces"},
        ),
    )
}


def _reader(stream: BinaryIO, encoding: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(_KeepOpen(stream), encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="")
    first = text.readline()
    delimiter = max(DELIMITERS, key=first.count)
    yield next(csv.reader([first], delimiter=delimiter))
    yield from csv.reader(text, delimiter=delimiter, strict=True)


def open_source_table(
    stream: BinaryIO, *, source: SourceFormat, columns: Sequence[str], encoding: str, limits: Limits
) -> Table:
    """The export as a table of response rows in `columns` order; raises FileProblem if it is not one."""
    try:
        rows = _reader(stream, encoding)
        header = [header_key(name) for name in next(rows)]
        for _extra in range(source.header_rows - 1):
            next(rows)
    except (StopIteration, UnicodeDecodeError, csv.Error):
        raise FileProblem(
            _("This is not a %(source)s: its header rows cannot be read.") % {"source": source.label}
        ) from None
    wanted = {**source.columns, **dict.fromkeys(source.questions, "")}
    missing = [name for name in source.columns if name not in header and name != "channel"]
    questions = {name: survey for name, survey in source.questions.items() if name in header}
    if source.questions and not questions:
        missing.append(" or ".join(source.questions))
    if missing:
        raise FileProblem(
            _("This is not a %(source)s: missing column(s) %(columns)s.")
            % {"source": source.label, "columns": ", ".join(missing)}
        )
    position = {name: header.index(name) for name in wanted if name in header}
    width = len(header)
    index = {column: number for number, column in enumerate(columns)}

    def cells_of(raw: list[str]) -> list[str]:
        cells = [""] * len(columns)
        for name, column in source.columns.items():
            if name in position:
                cells[index[column]] = raw[position[name]].strip()
        for column, value in source.constants.items():
            cells[index[column]] = value
        for column, mapping in source.values.items():
            cells[index[column]] = mapping.get(cells[index[column]].casefold(), cells[index[column]])
        return cells

    def reshaped() -> Iterator[tuple[int, Sequence[str] | RowError]]:
        number = source.header_rows
        data_rows = 0
        try:
            for raw in rows:
                number += 1
                if not any(cell.strip() for cell in raw):
                    continue
                data_rows += 1
                if data_rows > limits.max_rows:
                    raise FileProblem(too_many_rows(limits.max_rows))
                if len(raw) != width:
                    reason = _("has %(cells)s cells; the header has %(width)s") % {"cells": len(raw), "width": width}
                    yield number, RowError(number, "(row)", ",".join(raw)[:60], reason)
                    continue
                cells = cells_of(raw)
                if any(cells[index[column]].casefold() in values for column, values in source.skip.items()):
                    continue
                if not source.questions:
                    yield number, cells
                    continue
                for name, survey in questions.items():
                    answer = raw[position[name]].strip()
                    if answer:
                        one = list(cells)
                        one[index["survey"]], one[index["score"]] = survey, answer
                        yield number, one
        except UnicodeDecodeError:
            raise FileProblem(
                _("The file is not %(encoding)s text (near row %(row)s). Choose its encoding.")
                % {"encoding": encoding, "row": number}
            ) from None
        except csv.Error as error:
            raise FileProblem(
                _("Row %(row)s is not valid CSV (%(error)s). Check quotes in that row.")
                % {"row": number, "error": error}
            ) from None

    return Table(format="csv", delimiter=",", header=list(columns), rows=reshaped())
