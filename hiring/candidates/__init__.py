"""Candidates and their applications: the stage decisions with reasons, and privacy (export and erasure)."""

from .privacy import ErasureReason, anonymise_candidate, anonymise_expired_candidates, export_candidate_data
from .services import (
    create_application,
    decide,
    find_duplicates,
    merge_candidates,
    retention_days,
    save_candidate,
)

__all__ = [
    "ErasureReason",
    "anonymise_candidate",
    "anonymise_expired_candidates",
    "create_application",
    "decide",
    "export_candidate_data",
    "find_duplicates",
    "merge_candidates",
    "retention_days",
    "save_candidate",
]
