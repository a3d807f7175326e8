"""Texts written in Python that reach a reader after a POST are marked for translation.

The pseudo-locale tour reads pages as a GET shows them; a flash message after a form is sent, or the reason
a service refuses (a ValidationError shown above the form), only appears after a POST, so the tour never sees
it. This reads the sources instead: every `messages.success/info/warning/error(request, text)` and every
user-facing refusal (`ValidationError`, `PeriodClosedError`, `ImmutableRunError`) must get its words from
gettext, not from a plain string or an f-string with words in it. Management commands (English for operators)
and developer errors (ValueError, TypeError, ...) are out of scope.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

APPS = ("core", "users", "culture", "incentives", "hiring", "reports", "demo", "scim")
REFUSALS = {"ValidationError", "PeriodClosedError", "ImmutableRunError"}
LEVELS = {"debug", "info", "success", "warning", "error"}
WORDS = re.compile(r"[A-Za-z]{2,}")


def _literal_words(node: ast.AST) -> str:
    """The words a plain string, an f-string or a concatenation of them writes by itself ('' when none)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(part.value for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_words(node.left) + " " + _literal_words(node.right)
    return ""


def _texts(call: ast.Call) -> list[ast.AST]:
    """The arguments of a call that become text a reader sees."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
    if owner == "messages" and name in LEVELS and len(call.args) >= 2:
        return [call.args[1]]
    if name in REFUSALS and call.args:
        first = call.args[0]
        return list(first.values) if isinstance(first, ast.Dict) else [first]  # a dict: field -> message
    return []


def unmarked_python_texts(source: str, path: str = "<source>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for text in _texts(node):
                words = _literal_words(text)
                if WORDS.search(words):
                    found.append(f"{path}:{node.lineno}: {words.strip()[:80]!r}")
    return found


def _sources() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [
        path
        for app in APPS
        for path in sorted((base / app).rglob("*.py"))
        if "migrations" not in path.parts and "management" not in path.parts
    ]


def test_the_check_finds_plain_and_f_strings_and_passes_marked_ones():
    source = """
messages.success(request, f"Saved KPI {code}.")
messages.error(request, "Nothing saved")
raise ValidationError("The team is closed.")
raise ValidationError({"comment": "Say how it went."})
raise PeriodClosedError(f"Period {code} is already closed.", code="closed")
messages.success(request, _("Saved KPI %(code)s.") % {"code": code})
messages.error(request, error_text(error))
messages.success(request, f"{name}: {summary}")
raise ValidationError(gettext("The team is closed."))
raise ValueError("developer text stays English")
"""
    found = unmarked_python_texts(source)
    assert [line.split(": ", 1)[1] for line in found] == [
        "'Saved KPI  .'",
        "'Nothing saved'",
        "'The team is closed.'",
        "'Say how it went.'",
        "'Period   is already closed.'",
    ]


def test_no_flash_message_or_refusal_is_written_in_plain_english():
    found = [line for path in _sources() for line in unmarked_python_texts(path.read_text(), str(path))]
    assert not found, "mark these for translation:\n" + "\n".join(found)


def test_a_refusal_reads_in_the_readers_language():
    """The messages are translated when raised (gettext, not at import), so a Swedish reader gets Swedish."""
    from django.core.exceptions import ValidationError

    from culture.scorecards.target_plans import plan_copy_forward

    for language, expected in (
        ("sv", "Kopiera till mellan 1 och 24 perioder."),
        ("en-gb", "Copy to between 1 and 24 periods."),
    ):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            plan_copy_forward(source="2026-09", periods=0, overwrite=False)
        assert refused.value.messages == [expected]
