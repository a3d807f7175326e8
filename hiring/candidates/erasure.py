"""Erasure hooks for hiring (core.erasure): the person as a candidate, and what interviewers wrote about them."""

from __future__ import annotations

from core.erasure import Erasure, scrub_rows

from ..models import Application, Candidate, Decision, HireReview, Interview, Rating, Scorecard, ScorecardDraft
from .privacy import ErasureReason, anonymise_candidate


def erase(erasure: Erasure) -> None:
    """An employee who once applied loses the candidate record's personal data too (the candidates' own
    anonymisation); their name in free text about other candidates (an interviewer's notes) is scrubbed."""
    for candidate in Candidate.objects.filter(email__in=erasure.emails, anonymised_at__isnull=True):
        anonymise_candidate(actor=erasure.actor, candidate=candidate, reason=ErasureReason.REQUEST)
        erasure.count("hiring.candidate", 1)
    scrub_rows(erasure, Candidate.objects.all(), ["notes"])
    scrub_rows(erasure, Application.objects.all(), ["notes"])
    scrub_rows(erasure, Interview.objects.all(), ["title"])
    scrub_rows(erasure, Scorecard.objects.all(), ["summary"])
    scrub_rows(erasure, Rating.objects.all(), ["evidence"])
    scrub_rows(erasure, Decision.objects.all(), ["reason", "exception_reason"])
    scrub_rows(erasure, HireReview.objects.all(), ["comment"])
    # An unsent draft is its author's private notes, never shared or required: an erased interviewer's drafts go
    # (their submitted scorecards stay, pseudonymised with the login); other drafts that mention the person are
    # scrubbed like the submitted ones.
    deleted, _ = ScorecardDraft.objects.filter(interviewer_id__in=erasure.user_ids).delete()
    erasure.count("hiring.scorecarddraft", deleted)
    scrub_rows(erasure, ScorecardDraft.objects.all(), ["summary", "entries"])
