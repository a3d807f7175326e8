#!/usr/bin/env python3
"""Check that every relative link and image in the project's Markdown resolves inside the repository.

Checked files: README.md, CHANGELOG.md, CONTRIBUTING.md and docs/**/*.md under the root. A link passes when
its target is a file or folder inside the root and, with a `#fragment`, the target Markdown file (or the
linking file itself) has a heading with that anchor (GitHub's rule: lower case, punctuation dropped, spaces
to hyphens, repeats numbered). Links that leave the repository (`../shared/...`, absolute paths, `file:`)
fail. Web links (http, https, mailto) are not fetched: the check must pass offline.

Usage: python scripts/check_links.py [--root DIR]; exit status 1 lists every broken link as path:line.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TOP_LEVEL = ("README.md", "CHANGELOG.md", "CONTRIBUTING.md")
WEB_SCHEMES = ("http://", "https://", "mailto:")

# [text](target "title") and ![alt](target); the text may hold one level of brackets (an image in a link).
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTML = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)=\"([^\"]*)\"", re.IGNORECASE)
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
INLINE_CODE = re.compile(r"`+[^`]*`+")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.target}: {self.reason}"


def markdown_files(root: Path) -> list[Path]:
    files = [root / name for name in TOP_LEVEL if (root / name).is_file()]
    docs = root / "docs"
    if docs.is_dir():
        files.extend(sorted(docs.rglob("*.md")))
    return files


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines outside fenced code blocks, with inline code removed (a path in backticks is no link)."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, INLINE_CODE.sub("", line)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup and punctuation dropped, lower case, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text stays, its target goes
    text = text.replace("`", "").lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found: set[str] = set()
    for _number, line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> Iterator[tuple[int, str]]:
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for pattern in (INLINE, HTML):
            for match in pattern.finditer(line):
                yield number, match.group(1)
        reference = REFERENCE.match(line)
        if reference:
            yield number, reference.group(1)


def check_link(source: Path, target: str, root: Path) -> str | None:
    """None when the link is good, else the reason it is not."""
    if target.lower().startswith(WEB_SCHEMES):
        return None
    if not target:
        return "empty link"
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
        return "a scheme other than http, https or mailto points outside the repository"
    file_part, _hash, fragment = target.partition("#")
    if file_part.startswith("/"):
        return "absolute path: link relative to this file instead"
    resolved = (source.parent / file_part).resolve() if file_part else source.resolve()
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        return "leaves the repository"
    if not resolved.exists():
        return "no such file in the repository"
    if fragment:
        if resolved.suffix.lower() != ".md" or not resolved.is_file():
            return "an anchor on something that is not a Markdown file"
        if fragment not in anchors(resolved):
            return f"no heading with anchor #{fragment} in {resolved.relative_to(root.resolve())}"
    return None


def check(root: Path) -> list[Problem]:
    problems = []
    for path in markdown_files(root):
        for line, target in links(path):
            reason = check_link(path, target, root)
            if reason:
                problems.append(Problem(path.relative_to(root), line, target, reason))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args(argv)
    root: Path = args.root
    problems = check(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    checked = len(markdown_files(root))
    if problems:
        print(f"{len(problems)} broken link(s) in {checked} Markdown files.", file=sys.stderr)
        return 1
    print(f"Links: {checked} Markdown files, every relative link resolves inside the repository.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
