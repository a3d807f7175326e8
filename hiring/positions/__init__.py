"""Positions: an opening on a team, pinned to a rubric version with a bar score and its interviewers;
the comparison of its candidates."""

from .services import save_position

__all__ = [
    "save_position",
]
