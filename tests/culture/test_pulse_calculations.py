"""Pulse maths, exactly: eNPS, the culture index, the response rate and the differencing rule."""

from decimal import Decimal
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from culture.pulse.calculations import Group, culture_index, department_groups, enps, residual, shown_groups


def test_enps_is_promoters_minus_detractors_over_all_answers():
    # 10 answers: promoters 9,10,10,9 (4); passives 7,8 (2); detractors 0,3,6,6 (4) -> (4 - 4) / 10 = 0
    assert enps([9, 10, 10, 9, 7, 8, 0, 3, 6, 6]) == Decimal(0)
    # 3 promoters, 1 passive, 2 detractors of 6 -> 100 x 1/6 = 16.666...
    assert enps([9, 9, 10, 8, 6, 2]) == Decimal(100) / 6
    assert enps([10, 10, 10]) == Decimal(100)
    assert enps([0, 6, 5]) == Decimal(-100)
    assert enps([7, 8]) == Decimal(0)
    assert enps([]) is None


def test_enps_boundaries_six_is_a_detractor_nine_a_promoter():
    assert enps([6]) == Decimal(-100)
    assert enps([7]) == Decimal(0)
    assert enps([8]) == Decimal(0)
    assert enps([9]) == Decimal(100)


def test_culture_index_maps_mean_agreement_one_to_five_onto_zero_to_hundred():
    assert culture_index([1, 1]) == Decimal(0)
    assert culture_index([5, 5, 5]) == Decimal(100)
    assert culture_index([3]) == Decimal(50)
    # mean (4 + 5 + 3 + 4) / 4 = 4 -> (4 - 1) / 4 x 100 = 75
    assert culture_index([4, 5, 3, 4]) == Decimal(75)
    # mean 10/3 -> (10/3 - 1) / 4 x 100 = 58.333...
    assert culture_index([3, 3, 4]) == (Decimal(10) / 3 - 1) / 4 * 100
    assert culture_index([]) is None


@given(st.lists(st.integers(0, 10), min_size=1, max_size=60))
def test_enps_lies_between_minus_and_plus_hundred(scores):
    assert Decimal(-100) <= enps(scores) <= Decimal(100)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=60))
def test_culture_index_lies_between_zero_and_hundred(scores):
    assert Decimal(0) <= culture_index(scores) <= Decimal(100)


def test_a_group_below_the_minimum_is_never_shown():
    groups = [Group("team:1", frozenset({1}), 4), Group("team:2", frozenset({2}), 5)]
    groups.append(Group("company", frozenset({1, 2}), 9))
    # team 2 alone would be shown, but company minus team 2 is team 1's 4 people: team 2 is hidden
    assert shown_groups(groups, 5) == {"company"}
    teams = [Group("team:1", frozenset({1}), 3), Group("team:2", frozenset({2}), 6), Group("team:3", frozenset({3}), 6)]
    company = Group("company", frozenset({1, 2, 3}), 15)
    # 15 - 6 - 6 = 3: one of the two teams goes (the smaller, then by key), leaving 15 - 6 = 9
    assert shown_groups([*teams, company], 5) == {"company", "team:3"}


def test_a_department_minus_one_small_team_is_not_shown_beside_the_department():
    # department = teams 1 (6), 2 (7), 3 (2): company 15; teams 1 and 2 shown would leave team 3's 2 people
    tree = department_groups({1: 10, 2: 10, 3: 10}, {10: {10}}, {1: 6, 2: 7, 3: 2})
    shown = shown_groups(tree, 5)
    by_key = {g.key: g for g in tree}
    assert "company" in shown and "department:10" in shown
    assert "team:3" not in shown
    # the smallest shown team goes, so the rest of the department is 2 + 6 = 8 people, not 2
    assert shown == {"company", "department:10", "team:2"}
    assert residual(by_key["department:10"], [by_key[k] for k in shown]) == 8


def _tree_groups(sizes: list[int], split: int) -> list[Group]:
    """Two departments under one parent: teams [0, split) in department 100, the rest in 200."""
    departments = {team: (100 if team < split else 200) for team in range(len(sizes))}
    subtrees = {1: {1, 100, 200}, 100: {100}, 200: {200}}
    return department_groups(departments, subtrees, dict(enumerate(sizes)))


def _assert_no_small_difference(groups: list[Group], shown: set[str], minimum: int) -> None:
    chosen = [g for g in groups if g.key in shown]
    for group in chosen:
        assert group.respondents >= minimum
        inside = [g for g in chosen if g.teams < group.teams]
        # every set of disjoint shown sub-groups subtracted from a shown group leaves 0 or >= minimum people
        for size in range(1, len(inside) + 1):
            for subset in combinations(inside, size):
                teams = [g.teams for g in subset]
                if any(a & b for a, b in combinations(teams, 2)):
                    continue
                left = group.respondents - sum(g.respondents for g in subset)
                assert left == 0 or left >= minimum, (group.key, [g.key for g in subset], left)


@given(st.lists(st.integers(0, 12), min_size=1, max_size=6), st.integers(0, 6), st.integers(2, 6))
def test_no_two_shown_groups_differ_by_fewer_than_the_minimum(sizes, split, minimum):
    groups = _tree_groups(sizes, min(split, len(sizes)))
    shown = shown_groups(groups, minimum)
    _assert_no_small_difference(groups, shown, minimum)


@given(st.lists(st.integers(5, 12), min_size=1, max_size=6))
def test_every_group_is_shown_when_no_difference_is_small(sizes):
    # all teams >= 5 and every residual 0: nothing needs hiding
    groups = _tree_groups(sizes, len(sizes) // 2)
    assert shown_groups(groups, 5) == {g.key for g in groups}
