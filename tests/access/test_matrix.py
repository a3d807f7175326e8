"""Every cell of the access matrix (matrix.py) checked over the pages and the REST API.

Each cell is observed once per module (observations are cached) and compared with the table; the summary
test counts the cells and fails with every mismatch, and with every unexpected allow, listed.
"""

from __future__ import annotations

from collections import Counter

import pytest

from .matrix import ACTIONS, ALLOW, EXPECTED, MATRIX, NA, OBJECTS, ROLES, SURFACES
from .probes import API_RESOURCES, PROBES, Seen, na_api_operations, na_api_request, schema_of

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
                if found:
                    return Seen("exists", f"schema: {found}")
                sent = na_api_request(self.world, self.world.apis[role], obj, action)
                if sent is not None and sent.decision == "exists":
                    return sent
                return Seen(NA, sent.how if sent else "schema: no such operation")
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
                lines.append(f"{role} {action} {obj} ({surface}): expected {expected}, saw {seen.decision}: {seen.how}")
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


def test_api_paths_named_for_na_checks_exist_in_the_schema(observer):
    """Otherwise an n/a check would look up a path that is simply spelled wrong, and always pass."""
    for collection, item, _word in API_RESOURCES.values():
        for path in filter(None, (collection, item)):
            assert path in observer.schema["paths"], path


@pytest.mark.parametrize(("role", "obj", "action"), [row[:3] for row in MATRIX], ids=lambda v: str(v))
def test_cell(observer, role, obj, action):
    assert not _mismatches(observer, [(role, obj, action)])


def test_summary_has_no_unexpected_allow_and_no_mismatch(observer):
    cells = [row[:3] for row in MATRIX]
    mismatches = _mismatches(observer, cells)
    counts = Counter(observer.observe(*cell, surface).decision for cell in cells for surface in SURFACES)
    unexpected_allows = [line for line in mismatches if "saw allow" in line]
    print(f"\naccess matrix: {counts.total()} cells, " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    assert counts.total() == len(ROLES) * len(OBJECTS) * len(ACTIONS) * len(SURFACES)
    report = f"{len(unexpected_allows)} unexpected allows, {len(mismatches)} mismatching cells:\n"
    report += "\n".join(mismatches)
    assert not unexpected_allows, report
    assert not mismatches, report


def test_every_write_probe_succeeds_for_someone_so_a_refusal_is_a_real_refusal(observer):
    """A refused write proves something only if the same request works for someone. The two writes nobody
    may make have a twin that is allowed: a second scorecard (the first one, before submitting) and
    recalculating an approved run (a draft run)."""
    twins = {"interview_scorecard_after": "interview_scorecard_before", "payout_line": "draft_payout_line"}
    for obj, action, surface in PROBES:
        if action in ("create", "edit", "delete"):
            seen = [observer.observe(role, twins.get(obj, obj), action, surface).decision for role in ROLES]
            assert ALLOW in seen, (obj, action, surface, seen)
