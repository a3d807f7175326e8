"""A registered test document kind, so the archive machinery is tested apart from the real documents."""

from __future__ import annotations

import pytest

from reports.documents import REGISTRY, BuiltDocument, DocumentKind, register


class Calls:
    def __init__(self) -> None:
        self.count = 0
        self.fail_with: Exception | None = None


@pytest.fixture
def demo_kind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    calls = Calls()

    def build(parameters, progress, stamp=None):
        calls.count += 1
        progress(50)
        if calls.fail_with:
            raise calls.fail_with
        return BuiltDocument(
            content=f"%PDF-demo {parameters['period']}".encode(), filename="demo.pdf", input_checksum="abc123"
        )

    register(
        DocumentKind(
            kind="demo",
            label="Demo",
            permission="",
            build=build,
            clean_parameters=lambda params: {"period": str(params["period"]).upper()},
            is_final=lambda params: params["period"].startswith("2025"),
        )
    )
    yield calls
    REGISTRY.pop("demo", None)
