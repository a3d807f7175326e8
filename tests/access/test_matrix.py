"""Every cell of the access matrix (matrix.py) checked over the pages and the REST API.

Each cell is observed once per module (observations are cached) and compared with the table; the summary
test counts the cells and fails with every mismatch, and with every unexpected allow, listed.
"""

from __future__ import annotations

from collections import Counter

import pytest

from .matrix import ACTIONS, ALLOW, EXPECTED, MATRIX, NA, OBJECTS, ROLES, SURFACES
from .probes import PROBES, Seen, na_api_operations, recalculate, schema_of

pytestmark = pytest.mark.django_db


class Observer:
    """Runs each cell's probe once and remembers what it saw."""

    def __init__(self, world) -> None:
        self.world = world
        self.seen: dict[tuple[str, str, str, str], Seen] = {}
        self.schema = schema_of(world.apis["cco"])

    def observe(self, role: str, obj: str, action: str, surface: str) -> Seen:
        key = (role, obj, action, surface)
        if key not in self.seen:
            self.seen[key] = self._probe(role, obj, action, surface)
        return self.seen[key]

    def _probe(self, role: str, obj: str, action: str, surface: str) -> Seen:
        probe = PROBES.get((obj, action, surface))
        if probe is None:
            if surface == "api":
                found = na_api_operations(self.schema, obj, action)
                return Seen(NA if not found else "exists", f"schema: {found or 'no such operation'}")
            return Seen(NA, "no page for this action")
        clients = self.world.apis if surface == "api" else self.world.pages
        return probe(self.world, clients[role])


@pytest.fixture(scope="module")
def observer(world):
    return Observer(world)


def _mismatches(observer, cells) -> list[str]:
    lines = []
    for role, obj, action in cells:
        for surface in SURFACES:
            expected = EXPECTED[(role, obj, action)][surface]
            seen = observer.observe(role, obj, action, surface)
            if seen.decision != expected:
                lines.append(f"{role} {action} {obj} ({surface}): expected {expected}, saw {seen.decision} [{seen.how}]")
    return lines


def test_matrix_names_every_role_object_and_action_exactly_once():
    cells = [(role, obj, action) for role, obj, action, _page, _api in MATRIX]
    assert len(cells) == len(set(cells)) == len(ROLES) * len(OBJECTS) * len(ACTIONS)
    assert {(r, o, a) for r in ROLES for o in OBJECTS for a in ACTIONS} == set(cells)


def test_every_probe_belongs_to_a_cell_that_is_not_na():
    for obj, action, surface in PROBES:
        assert all(EXPECTED[(role, obj, action)][surface] != NA for role in ROLES), (obj, action, surface)
    for role, obj, action, page, api in MATRIX:
        for surface, expected in (("page", page), ("api", api)):
            assert (expected == NA) == ((obj, action, surface) not in PROBES), (role, obj, action, surface)


@pytest.mark.parametrize(("role", "obj", "action"), [row[:3] for row in MATRIX], ids=lambda v: str(v))
def test_cell(observer, role, obj, action):
    assert not _mismatches(observer, [(role, obj, action)])


def test_summary_has_no_unexpected_allow_and_no_mismatch(observer):
    cells = [row[:3] for row in MATRIX]
    mismatches = _mismatches(observer, cells)
    counts = Counter(observer.observe(*cell, surface).decision for cell in cells for surface in SURFACES)
    unexpected_allows = [line for line in mismatches if "saw allow" in line]
    print(f"\naccess matrix: {sum(counts.values())} cells, " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    assert sum(counts.values()) == len(ROLES) * len(OBJECTS) * len(ACTIONS) * len(SURFACES)
    report = f"{len(unexpected_allows)} unexpected allows, {len(mismatches)} mismatching cells:\n" + "\n".join(mismatches)
    assert not unexpected_allows, report
    assert not mismatches, report


def test_write_probes_can_succeed_so_a_refusal_is_a_real_refusal(observer, world):
    """A denied write only proves something if the same request works for someone: every write probe is
    allowed for at least one role, and recalculating (refused for the approved run) works on a draft."""
    for obj, action, surface in PROBES:
        if action in ("create", "edit", "delete") and not (obj, action) == ("payout_line", "edit"):
            seen = [observer.observe(role, obj, action, surface).decision for role in ROLES]
            if obj != "interview_scorecard_after":
                assert ALLOW in seen, (obj, action, surface, seen)
    assert recalculate(world.draft_run.pk, world.pages["cco"]).decision == ALLOW
