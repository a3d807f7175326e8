"""`make prod-smoke` reuses a collected static tree only when it was collected from the same sources, and
production compresses only what it serves (hashed names, no source maps)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy import stack

from .production_env import PRODUCTION_ENV, run_python


@pytest.fixture
def sources(tmp_path, monkeypatch):
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "app.css").write_text("body{}")
    (tmp_path / "requirements.txt").write_text("Django==5.2\n")
    monkeypatch.setattr(stack, "ROOT", tmp_path)
    monkeypatch.setattr(stack, "STATIC_SOURCES", ("static", "requirements.txt", "missing-dir"))
    monkeypatch.setattr(stack, "STATIC_CACHE", tmp_path / ".cache" / "staticfiles")
    return tmp_path


def _fake_collect(calls: list[Path]):
    def manage(env, *args, timeout=300):
        root = Path(env["DJANGO_STATIC_ROOT"])
        root.mkdir(parents=True)
        (root / "staticfiles.json").write_text("{}")
        calls.append(root)
        return ""

    return manage


def test_the_key_follows_every_source_file_and_its_path(sources):
    first = stack.static_key()
    assert stack.static_key() == first
    (sources / "static" / "css" / "app.css").write_text("body{color:red}")
    changed = stack.static_key()
    assert changed != first
    (sources / "static" / "css" / "app.css").rename(sources / "static" / "css" / "site.css")
    assert stack.static_key() not in (first, changed)
    (sources / "requirements.txt").write_text("Django==5.2.1\n")
    assert len({first, changed, stack.static_key()}) == 3


def test_a_tree_is_collected_once_per_key_and_older_trees_are_removed(sources, monkeypatch):
    calls: list[Path] = []
    monkeypatch.setattr(stack, "manage", _fake_collect(calls))
    tree, reused = stack.collected_static({})
    assert (reused, tree.name, len(calls)) == (False, stack.static_key(), 1)
    assert calls[0].name.endswith(".partial") and not calls[0].exists() and (tree / "staticfiles.json").exists()
    assert stack.collected_static({}) == (tree, True) and len(calls) == 1
    assert stack.collected_static({}, reuse=False) == (tree, False) and len(calls) == 2
    (sources / "static" / "css" / "app.css").write_text("body{margin:0}")
    newer, reused = stack.collected_static({})
    assert not reused and newer != tree and not tree.exists()
    assert [p.name for p in stack.STATIC_CACHE.iterdir()] == [newer.name]


def test_a_half_collected_tree_is_never_reused(sources, monkeypatch):
    calls: list[Path] = []
    monkeypatch.setattr(stack, "manage", _fake_collect(calls))
    (stack.STATIC_CACHE / stack.static_key()).mkdir(parents=True)  # no staticfiles.json: interrupted
    _tree, reused = stack.collected_static({})
    assert not reused and len(calls) == 1


def test_production_compresses_hashed_files_only_and_no_source_maps():
    code = (
        "from django.conf import settings as s; "
        "print(s.WHITENOISE_KEEP_ONLY_HASHED_FILES, 'map' in s.WHITENOISE_SKIP_COMPRESS_EXTENSIONS, "
        "'js' in s.WHITENOISE_SKIP_COMPRESS_EXTENSIONS, s.STATIC_ROOT)"
    )
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": "/srv/centric/static"}
    result = run_python(code, env, "manage.py", "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "False", "/srv/centric/static"]
