"""The subdomain packages' contracts: every name they promise resolves to the thing in its module."""

import importlib

import pytest

import culture.scorecards


@pytest.mark.parametrize("package", ["culture.org", "culture.measurements", "culture.scorecards"])
def test_every_contract_name_resolves(package):
    module = importlib.import_module(package)
    assert module.__all__
    for name in module.__all__:
        assert getattr(module, name) is not None, name


def test_the_lazy_scorecard_contract_lists_each_name_once_and_hands_out_the_module_objects():
    assert sorted(culture.scorecards.__all__) == sorted(culture.scorecards._MODULE_OF)
    for name, module in culture.scorecards._MODULE_OF.items():
        source = importlib.import_module(f"culture.scorecards.{module}")
        assert getattr(culture.scorecards, name) is getattr(source, name), name
    with pytest.raises(AttributeError):
        culture.scorecards.no_such_name  # noqa: B018


def test_the_department_tree_walks_up_and_down():
    from culture.org import DepartmentTree

    tree = DepartmentTree({1: None, 2: 1, 3: 2, 4: 1, 5: None})
    assert tree.chain(3) == [3, 2, 1]
    assert tree.with_ancestors([3, 5]) == {1, 2, 3, 5}
    assert tree.subtree([2]) == {2, 3}
    assert tree.subtree([1]) == {1, 2, 3, 4}
    assert tree.subtrees()[1] == {1, 2, 3, 4}
    assert DepartmentTree({1: 2, 2: 1}).chain(1) == [1, 2]  # a cycle in bad data ends the walk
