"""The registry of document kinds the archive can build. Each app's document module registers its kinds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

Progress = Callable[[int], None]


@dataclass(frozen=True)
class BuiltDocument:
    """What a builder returns: the bytes, a download file name and the checksum of the inputs it used."""

    content: bytes
    filename: str
    input_checksum: str


@dataclass(frozen=True)
class Stamp:
    """What a PDF prints so anyone can check it: the archive's verification code and the verify page."""

    verification_code: str = ""
    verify_url: str = ""

    def context(self) -> dict[str, str]:
        return {"verification_code": self.verification_code, "verify_url": self.verify_url}


NO_STAMP = Stamp()


@dataclass(frozen=True)
class DocumentKind:
    """How to build one kind of document, who may ask for it, and whether a request is final (reusable)."""

    kind: str
    label: str | Promise  # gettext_lazy: read in the language of whoever sees it
    permission: str
    build: Callable[[Mapping[str, Any], Progress, Stamp], BuiltDocument]
    clean_parameters: Callable[[Mapping[str, Any]], dict[str, Any]]
    is_final: Callable[[Mapping[str, Any]], bool]
    # Runs after the report is stored as done, and again whenever its task is redelivered: must be idempotent.
    after_done: Callable[[Any], object] | None = None
    # Part of the archive key: a new layout of the same figures is a new document, not the archived copy.
    template_version: int = 1
    # The checksum of the frozen data a final request reads (its period's closing); "" for live data.
    frozen_key: Callable[[Mapping[str, Any]], str] | None = None


REGISTRY: dict[str, DocumentKind] = {}


def register(document: DocumentKind) -> DocumentKind:
    REGISTRY[document.kind] = document
    return document


def kind_label(kind: str) -> str:
    """The kind's name for people ("Board report"); the code itself for a kind no longer registered."""
    document = REGISTRY.get(kind)
    return str(document.label) if document else kind


def get_kind(kind: str) -> DocumentKind:
    try:
        return REGISTRY[kind]
    except KeyError:
        raise ValueError(f"Unknown report kind {kind!r}.") from None
