"""Every combination of filters (pulse, team, department, question, and level) through each surface that shows
pulse results: the page, its CSV and XLSX exports and the API. Each shows exactly the rows `pulse_results`
allows for those filters, with the same rounded figures, and everything all the requests showed together
still passes the minimum-group and differencing rule. (The board report's chain: tests/reports/test_board_chain.)
"""

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from django.urls import reverse

from culture.pulse.results import pulse_results
from tests.culture.test_pulse_results import CLOSED, MIN, _assert_safe, _combinations, _world

pytestmark = pytest.mark.django_db

# the pages read today's date: both pulses of the generated org closed before it
assert dt.date.today() > CLOSED


def _one(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _expected(user, filters, question_key):
    rows = pulse_results(user, **{**filters, "question_key": question_key})
    return rows, {
        (row.pulse_title, row.group_name, row.question_key or "all", row.respondents, _one(row.enps)) for row in rows
    }


def _params(filters, question_key):
    names = {"pulse_id": "pulse", "team_id": "team", "department_id": "department", "scope": "scope"}
    params = {names[key]: value for key, value in filters.items() if key in names and value}
    if question_key is not None:
        params["question"] = question_key
    return params


def _cell(value) -> str:
    """An XLSX cell as text; numbers come back as int or float (-75 for -75.0), read as Decimal above."""
    return "" if value is None else str(value)


def _exported(response, fmt: str):
    if fmt == "csv":
        lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
        lines = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    header, body = lines[0], lines[1:]
    at = {name: header.index(name) for name in ("Pulse", "Group", "Question", "Answers", "eNPS")}
    return {
        (
            line[at["Pulse"]],
            line[at["Group"]],
            line[at["Question"]],
            int(line[at["Answers"]]),
            None if line[at["eNPS"]] in ("", "—") else _one(Decimal(line[at["eNPS"]])),
        )
        for line in body
    }


def _question_of(text: str, by_text: dict[str, str]) -> str:
    return "all" if text in ("", "all") else by_text[text]  # the whole pulse: an empty cell


def test_every_filter_combination_on_every_surface_shows_only_what_the_rule_allows(client, cco, settings):
    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    pulses, teams, departments = _world(cco)
    client.force_login(cco)
    by_text = {row.question_text: row.question_key for row in pulse_results(cco) if row.question_key}
    url = reverse("culture:pulse_results")
    seen: dict[int, dict] = {}
    combos = [f | {"scope": None} for f in _combinations(pulses, teams, departments)]
    combos += [
        f | {"scope": scope} for f in _combinations(pulses, [], []) for scope in ("company", "department", "team")
    ]
    checked = 0
    for combo in combos:
        question = combo.pop("question_key")
        # the API: any question filter, or none (every row)
        rows, expected = _expected(cco, combo, question)
        for row in rows:
            seen.setdefault(row.pulse_id, {})[(row.group_key, row.question_key)] = row
        if combo["pulse_id"]:
            api = client.get(f"/api/v1/pulses/{combo['pulse_id']}/results/", _params(combo, question))
            assert api.status_code == 200
            got = {
                (rows[0].pulse_title if rows else "", r["group"], r["question"] or "all", r["respondents"], r["enps"])
                for r in api.json()
            }
            assert got == expected, combo
        # the page and its exports: the question filter defaults to the whole pulse ("")
        rows, expected = _expected(cco, combo, question or "")
        page = client.get(url, {**_params(combo, question or None), "per_page": 1000})
        assert page.status_code == 200
        assert {(r["group_key"], r["question_key"], r["pulse_id"]) for r in page.context["table"].data} == {
            (r.group_key, r.question_key, r.pulse_id) for r in rows
        }, combo
        for fmt in ("csv", "xlsx") if combo["team_id"] is None else ("csv",):
            response = client.get(url, {**_params(combo, question or None), "_export": fmt})
            exported = {
                (title, group, _question_of(text, by_text), n, enps)
                for title, group, text, n, enps in _exported(response, fmt)
            }
            assert exported == expected, (fmt, combo)
        checked += 1
    assert checked == 3 * 8 * 4 * 6 + 3 * 6 * 3
    _assert_safe({pulse: list(rows.values()) for pulse, rows in seen.items()})


def test_a_negative_enps_is_exported_as_a_number(client, cco, settings):
    """As text, "-46.9" is quoted against formula injection ("'-46.9"): the export carries the number."""
    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    _world(cco)
    client.force_login(cco)
    company = [r for r in pulse_results(cco) if r.group_key == "company" and not r.question_key]
    assert any(row.enps < 0 for row in company)
    url = reverse("culture:pulse_results")

    body = b"".join(client.get(url, {"scope": "company", "_export": "csv"}).streaming_content).decode()
    lines = list(csv.reader(io.StringIO(body)))
    at = lines[0].index("eNPS")
    assert [line[at] for line in lines[1:]] == [_one(row.enps) for row in company]
    workbook = b"".join(client.get(url, {"scope": "company", "_export": "xlsx"}).streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True).active
    cells = [row[at] for row in list(sheet.iter_rows(values_only=True))[1:]]
    assert all(isinstance(cell, int | float) for cell in cells)
    assert [_one(Decimal(str(cell))) for cell in cells] == [_one(row.enps) for row in company]
