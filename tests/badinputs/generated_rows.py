"""Hypothesis strategies for measurement rows, good and bad, and a small model of what an import must do.

A generated row knows its verdict: the exact figures it must be stored with, or that it is bad by
construction (each corruption is one that no other cell can make good again). What depends on other rows
or on stored data (a repeated key, channel `all` beside a specific channel on one day) is decided by
`expect()`, a model written from the README's rules, independently of the validator.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal

from hypothesis import strategies as st

COLUMNS = ("team", "kpi", "date", "channel", "value", "numerator", "denominator", "sample_size")
# Standard KPIs of each shape: percent share, signed share (NPS), unbounded ratio, mean, sum.
KPIS = {"fcr": "share", "nps": "signed", "cost_per_contact": "ratio", "aht": "value", "customers_gained": "value"}
OPEN_DAYS = (dt.date(2026, 4, 1), dt.date(2026, 4, 2))
CLOSED_DAY = "2026-03-31"  # the tests close 2026-03
CHANNELS = ("all", "phone", "chat", "email", "self_service")
OMIT = "<omit>"  # an API row without this key at all
SIX_PLACES = Decimal("0.000001")

# Since the import wizard, "TEAM-A", "FCR", "Phone", "e-mail", 2026-04-01T00:00 and, in a file, a decimal comma
# or grouped thousands are read (case-insensitive names, datetimes, the file's locale): not drawn as bad.
BAD_TEAMS = ["no-such-team", "=team-a", "t\u00ebam-a", "team-a\u200b", "", "../team-a", "team-a;--"]
BAD_KPIS = ["", "nope", "=1+1", "\u00f1ps", "fcr\u200b", "@kpi"]
BAD_DATES = [
    CLOSED_DAY,
    "2026-02-30",
    "2026-4-1",
    "01/04/2026",
    "",
    "\uff12\uff10\uff12\uff16-\uff10\uff14-\uff10\uff11",
    "=TODAY()",
]
BAD_CHANNELS = ["fax", "phone\u200b", "all;phone", "+chat"]
BAD_NUMBERS = [
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "sNaN",
    "1e400",
    "1_000",
    "\u0661\u0662",
    "\uff11\uff12",
    "0x10",
    "=1+2",
    "@SUM(A1)",
    "1234567890123",
    "0.0000001",
    "1e-7",
    "1e12",
    "1.2.3",
    "--5",
    "80%",
    "eighty",
    "\u00bd",
]
BAD_NUMBER_TOKENS = ["true", "false", "[1]", '{"v": 1}', "1e400", "1E-7", '"NaN"']
FATAL_TOKENS = ["NaN", "Infinity", "-Infinity"]  # not JSON: the whole body is refused
BAD_COUNTS = ["-1", "1.5", "abc", "9999999999", "\u0661\u0662", "\uff11", "1e2", "=1", "12,0", "NaN"]
BAD_COUNT_TOKENS = ["true", "-3", "1.5", "[]", "{}"]


@dataclass(frozen=True)
class Cell:
    """One cell: its CSV text, and for the API a raw JSON token (None: send the text as a JSON string)."""

    text: str
    token: str | None = None

    def json(self) -> str:
        return json.dumps(self.text) if self.token is None else self.token


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    key: tuple[str, str, dt.date, str]
    figures: tuple[Decimal | None, Decimal | None, Decimal | None, int | None]
    corrupt: bool = False
    shape: str = ""  # "extra": one cell/field too many; "short": a cell too few / not an object

    @property
    def fatal_json(self) -> bool:
        """A NaN or Infinity token: the API cannot parse the body at all."""
        return self.shape != "short" and any(cell.token in FATAL_TOKENS for cell in self.cells)

    def too_precise(self, digits: int | None) -> bool:
        """A figure the database would round (SQLite: more than 15 significant digits) is refused."""
        numbers = [n for n in self.figures[:3] if n is not None]
        return digits is not None and any(len(n.normalize().as_tuple().digits) > digits for n in numbers)


def _free_text(prefix: str) -> st.SearchStrategy[str]:
    """Any text (no NUL or surrogates: a CSV must be UTF-8 text) behind a prefix no valid cell starts with."""
    return st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12).map(
        lambda text: prefix + text
    )


def _numbers(*, min_value: Decimal = Decimal(-(10**12) + 1)) -> st.SearchStrategy[Decimal]:
    """Decimals the import accepts: up to 12 digits before the point and 6 after, small ones more often."""
    places = st.integers(0, 6)
    huge = places.flatmap(lambda p: st.decimals(min_value, Decimal(10**12) - 1, places=p))
    small = places.flatmap(lambda p: st.decimals(max(min_value, Decimal(-1000)), 1000, places=p))
    return st.one_of(small, huge)


def _number_cells(number: Decimal) -> st.SearchStrategy[Cell]:
    """The ways a file or a JSON body may write the same number."""
    plain = format(number, "f")
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    mantissa = ("-" if sign else "") + "".join(map(str, digits))
    padded = plain + ("" if "." in plain else ".") + "000"
    forms = [Cell(plain), Cell(f"{mantissa}E{exponent}"), Cell(f"{mantissa}e{exponent}"), Cell(padded)]
    forms += [Cell(plain, plain), Cell(plain, f"{mantissa}E{exponent}"), Cell(f" {plain} ")]
    if not sign:
        forms.append(Cell("+" + plain))
    return st.sampled_from(forms)


def _count_cells(count: int) -> st.SearchStrategy[Cell]:
    return st.sampled_from([Cell(str(count)), Cell(f"{count}.0"), Cell(str(count), str(count)), Cell(f" {count}")])


def _empty() -> st.SearchStrategy[Cell]:
    return st.sampled_from([Cell(""), Cell("", "null"), Cell("", OMIT)])


def _bad(pool: list[str], prefix: str, tokens: list[str] = ()) -> st.SearchStrategy[Cell]:
    cells = st.one_of(st.sampled_from(pool).map(Cell), _free_text(prefix).map(Cell))
    return st.one_of(cells, st.sampled_from(tokens).map(lambda token: Cell(token, token))) if tokens else cells


def _share(draw, denominator: Decimal, *, signed: bool) -> Decimal:
    fraction = draw(st.decimals(0, 1, places=draw(st.integers(0, 6))))
    numerator = (denominator * fraction).quantize(SIX_PLACES, rounding=ROUND_DOWN)
    return -numerator if signed and draw(st.booleans()) else numerator


@st.composite
def rows(draw, editable: tuple[str, ...], foreign: tuple[str, ...], *, corrupt: bool = True) -> Row:
    """One measurement row for a user who may edit `editable` teams (and not `foreign` ones).

    With `corrupt`, up to two corruptions are applied; without, the row is good on its own (it may still
    clash with other rows or with stored ones)."""
    team, kpi = draw(st.sampled_from(editable)), draw(st.sampled_from(sorted(KPIS)))
    day, channel = draw(st.sampled_from(OPEN_DAYS)), draw(st.sampled_from(CHANNELS))
    shape = KPIS[kpi]
    value = numerator = denominator = None
    if shape == "value":
        value = draw(_numbers())
    else:
        denominator = draw(_numbers(min_value=Decimal(0)))
        if shape == "ratio":
            numerator = draw(_numbers()) if denominator else Decimal(0)
        else:
            numerator = _share(draw, denominator, signed=shape == "signed")
    size = draw(st.one_of(st.none(), st.integers(0, 999_999_999)))
    cells = {
        "team": Cell(draw(st.sampled_from([team, f" {team}", f"{team}\u00a0"]))),
        "kpi": Cell(kpi),
        "date": draw(st.sampled_from([Cell(day.isoformat()), Cell(f"{day.isoformat()} ")])),
        "channel": draw(st.sampled_from([Cell(""), Cell("all"), Cell("", "null")]))
        if channel == "all"
        else Cell(channel),
        "sample_size": draw(_empty()) if size is None else draw(_count_cells(size)),
    }
    for name, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        cells[name] = draw(_empty()) if number is None else draw(_number_cells(number))
    row = Row(tuple(cells[name] for name in COLUMNS), (team, kpi, day, channel), (value, numerator, denominator, size))
    for corruption in draw(st.lists(st.sampled_from(_corruptions(shape)), max_size=2 if corrupt else 0)):
        row = draw(_corrupt(row, corruption, shape, foreign))
    return row


def _corruptions(shape: str) -> list[str]:
    common = ["team", "kpi", "date", "channel", "number", "extra_number", "sample_size", "fatal", "extra", "short"]
    if shape == "value":
        return [*common, "no_value", "numerator_too", "denominator_too"]
    bounded = ["out_of_bounds"] if shape in ("share", "signed") else []
    return [
        *common,
        "value_too",
        "no_numerator",
        "no_denominator",
        "negative_denominator",
        "zero_denominator",
        *bounded,
    ]


@st.composite
def _corrupt(draw, row: Row, corruption: str, shape: str, foreign: tuple[str, ...]) -> Row:
    cells = dict(zip(COLUMNS, row.cells, strict=True))
    bad_number = _bad(BAD_NUMBERS, "x", BAD_NUMBER_TOKENS)
    positive = _numbers(min_value=SIX_PLACES).filter(lambda n: n > 0)
    if corruption in ("extra", "short"):
        return replace(row, corrupt=True, shape=corruption)
    if corruption == "fatal":
        token = draw(st.sampled_from(FATAL_TOKENS))
        return replace(row, corrupt=True, cells=_set(cells, "value", Cell(token, token)))
    changes = {
        "team": lambda: draw(st.one_of(_bad(BAD_TEAMS, "x"), st.sampled_from(foreign or ("x",)).map(Cell))),
        "kpi": lambda: draw(_bad(BAD_KPIS, "x")),
        "date": lambda: draw(_bad(BAD_DATES, "x", ["20260401"])),
        "channel": lambda: draw(_bad(BAD_CHANNELS, "x")),
        "sample_size": lambda: draw(_bad(BAD_COUNTS, "x", BAD_COUNT_TOKENS)),
    }
    if corruption in changes:
        return replace(row, corrupt=True, cells=_set(cells, corruption, changes[corruption]()))
    present = [n for n in ("value", "numerator", "denominator") if row.figures[COLUMNS.index(n) - 4] is not None]
    absent = [n for n in ("value", "numerator", "denominator") if n not in present]
    if corruption == "number":
        column = draw(st.sampled_from(present))
    elif corruption == "extra_number":
        column = draw(st.sampled_from(absent))
    elif corruption in ("value_too", "numerator_too", "denominator_too"):
        column = corruption.removesuffix("_too")
        return replace(row, corrupt=True, cells=_set(cells, column, draw(_number_cells(draw(_numbers())))))
    elif corruption.startswith("no_"):
        return replace(row, corrupt=True, cells=_set(cells, corruption.removeprefix("no_"), draw(_empty())))
    elif corruption == "negative_denominator":
        return replace(row, corrupt=True, cells=_set(cells, "denominator", draw(_number_cells(-draw(positive)))))
    elif corruption == "zero_denominator":
        cells["numerator"] = draw(_number_cells(draw(positive)))
        return replace(row, corrupt=True, cells=_set(cells, "denominator", Cell("0")))
    else:  # out_of_bounds: a share above its denominator or below 0, NPS beyond +-responses (or too large)
        numerator = row.figures[2] + draw(positive)
        if shape == "share" and draw(st.booleans()):
            numerator = -draw(positive)
        elif shape == "signed" and draw(st.booleans()):
            numerator = -numerator
        return replace(row, corrupt=True, cells=_set(cells, "numerator", draw(_number_cells(numerator))))
    return replace(row, corrupt=True, cells=_set(cells, column, draw(bad_number)))


def _set(cells: dict[str, Cell], column: str, cell: Cell) -> tuple[Cell, ...]:
    assert column in COLUMNS, column
    cells = {**cells, column: cell}
    return tuple(cells[name] for name in COLUMNS)


def batches(editable: tuple[str, ...], foreign: tuple[str, ...]) -> st.SearchStrategy[list[Row]]:
    """1-10 rows; half of the batches without corruptions or clashes between rows, so that many are written."""
    clean = st.lists(rows(editable, foreign, corrupt=False), min_size=1, max_size=10, unique_by=lambda r: r.key[:3])
    return st.one_of(clean, st.lists(rows(editable, foreign), min_size=1, max_size=10))


# --- writing the rows out ---------------------------------------------------------------------------------


def to_csv(rows: list[Row], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = [cell.text for cell in row.cells]
        if row.shape == "extra":
            cells.append("surplus")
        elif row.shape == "short":
            cells.pop()
        writer.writerow(cells)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def to_json(rows: list[Row]) -> str:
    """The API body, written by hand so that it can hold tokens json.dumps would refuse (NaN) or change."""
    items = []
    for row in rows:
        if row.shape == "short":
            items.append('["not", "an", "object"]')
            continue
        fields = [f"{json.dumps(name)}: {cell.json()}" for name, cell in zip(COLUMNS, row.cells, strict=True)]
        fields = [f for f, cell in zip(fields, row.cells, strict=True) if cell.token != OMIT]
        if row.shape == "extra":
            fields.append('"comment": "surplus"')
        items.append("{" + ", ".join(fields) + "}")
    return "[" + ", ".join(items) + "]"


# --- the model --------------------------------------------------------------------------------------------

Key = tuple[str, str, dt.date, str]
Figures = tuple[Decimal | None, Decimal | None, Decimal | None, int | None]


@dataclass
class Expected:
    """Which rows must be reported (1-based positions), or else the counts and the stored table afterwards."""

    bad: set[int] = field(default_factory=set)
    fatal_json: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    table: dict[Key, Figures] = field(default_factory=dict)


def expect(rows: list[Row], stored: dict[Key, Figures], *, digits: int | None) -> Expected:
    """What an all-or-nothing import of `rows` must do, given the `stored` table."""
    expected = Expected(fatal_json=any(row.fatal_json for row in rows))
    accepted: set[Key] = set()
    kinds: dict[tuple, set[bool]] = {}
    for number, row in enumerate(rows, start=1):
        if row.corrupt or row.too_precise(digits):
            expected.bad.add(number)
            continue
        day, is_all = row.key[:3], row.key[3] == "all"
        if row.key in accepted or (not is_all) in kinds.get(day, set()):
            expected.bad.add(number)  # a repeated key, or `all` beside a specific channel: both would count
            continue
        accepted.add(row.key)
        kinds.setdefault(day, set()).add(is_all)
    if expected.bad:
        return expected
    stored_kinds: dict[tuple, set[bool]] = {}
    for key in stored:
        stored_kinds.setdefault(key[:3], set()).add(key[3] == "all")
    # Clashes with stored rows are looked for once every row is good (just before writing).
    expected.bad = {n for n, row in enumerate(rows, 1) if (row.key[3] != "all") in stored_kinds.get(row.key[:3], set())}
    expected.table = dict(stored)
    for row in rows:
        before = stored.get(row.key)
        expected.created += before is None
        expected.updated += before is not None and before != row.figures
        expected.unchanged += before == row.figures
        expected.table[row.key] = row.figures
    return expected
