"""The Markdown link check of `make lint` (scripts/check_links.py) bites on broken and outside links."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_links.py"


def run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)], capture_output=True, text=True, check=False
    )


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_tree_whose_links_resolve_passes(tmp_path):
    write(
        tmp_path,
        {
            "README.md": "# Centric\n\nSee [the guide](docs/guide.md#quick-start) and ![shot](docs/img/a.png).\n",
            "docs/guide.md": "# Guide\n\n## Quick start\n\nBack to [the top](#guide) or [home](../README.md).\n",
            "docs/img/a.png": "png",
        },
    )
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 Markdown files" in result.stdout


def test_a_broken_link_fails_with_its_file_and_line(tmp_path):
    write(
        tmp_path,
        {
            "README.md": "# Centric\n\nGood: [guide](docs/guide.md).\nBroken: [gone](docs/missing.md).\n",
            "docs/guide.md": "# Guide\n",
        },
    )
    result = run(tmp_path)
    assert result.returncode == 1
    assert "README.md:4: docs/missing.md: no such file in the repository" in result.stderr
    assert "docs/guide.md:" not in result.stderr, "the good link is not reported"


def test_links_leaving_the_repository_and_missing_anchors_fail(tmp_path):
    repo = tmp_path / "repo"
    write(tmp_path, {"shared/DESIGN.md": "# Design\n"})
    write(
        repo,
        {
            "README.md": "[design](../shared/DESIGN.md)\n[abs](/etc/hosts)\n[anchor](docs/guide.md#nowhere)\n",
            "docs/guide.md": "# Guide\n\n```\n[not a link](nowhere.md)\n```\n\nCode `[x](nowhere.md)` is no link.\n",
            "CONTRIBUTING.md": "[web](https://example.com/) is not fetched.\n",
        },
    )
    result = run(repo)
    assert result.returncode == 1
    assert "README.md:1: ../shared/DESIGN.md: leaves the repository" in result.stderr
    assert "README.md:2: /etc/hosts: absolute path" in result.stderr
    assert "README.md:3: docs/guide.md#nowhere: no heading with anchor #nowhere" in result.stderr
    assert "3 broken link(s)" in result.stderr


def test_the_repository_documentation_has_no_broken_link():
    result = run(SCRIPT.parents[1])
    assert result.returncode == 0, result.stderr
