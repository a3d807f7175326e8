"""Survey responses -> one day's measurement. Pure: the counts come from a SQL GROUP BY (see services)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class ResponseTally:
    """Counts over one (team, survey, day, channel): responses, by band, sum and sum of squared scores."""

    responses: int
    promoters: int = 0  # NPS 9-10
    detractors: int = 0  # NPS 0-6
    satisfied: int = 0  # CSAT 4-5
    score_sum: int = 0
    score_squares: int = 0


@dataclass(frozen=True)
class SurveyFigures:
    """The measurement columns a tally produces."""

    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    sample_size: int
    sum_squares: Decimal


def survey_figures(survey: str, tally: ResponseTally) -> SurveyFigures:
    """NPS and CSAT become ratio sums; CES becomes a mean with sample size and sum of squares.

    NPS: numerator promoters - detractors, denominator responses, sum_squares promoters + detractors
    (each response scores +1, 0 or -1, so its square is 1 for promoters and detractors). CSAT:
    numerator satisfied, sum_squares = numerator (scores are 0 or 1). CES: the mean score, with the score
    sum and the number of responses as numerator and denominator.
    """
    n = tally.responses
    if survey == "nps":
        return SurveyFigures(
            None,
            Decimal(tally.promoters - tally.detractors),
            Decimal(n),
            n,
            Decimal(tally.promoters + tally.detractors),
        )
    if survey == "csat":
        return SurveyFigures(None, Decimal(tally.satisfied), Decimal(n), n, Decimal(tally.satisfied))
    if survey == "ces":
        # The score sum travels as the numerator (n as the denominator), so a period's mean is computed from
        # exact sums; the stored mean (6 places) is for reading the row, never multiplied back.
        mean = (Decimal(tally.score_sum) / Decimal(n)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
        return SurveyFigures(mean, Decimal(tally.score_sum), Decimal(n), n, Decimal(tally.score_squares))
    raise ValueError(f"unknown survey {survey!r}")


def tally_scores(survey: str, scores: list[int]) -> ResponseTally:
    """The tally of a list of scores: the reference the SQL GROUP BY is tested against."""
    return ResponseTally(
        responses=len(scores),
        promoters=sum(1 for s in scores if s >= 9) if survey == "nps" else 0,
        detractors=sum(1 for s in scores if s <= 6) if survey == "nps" else 0,
        satisfied=sum(1 for s in scores if s >= 4) if survey == "csat" else 0,
        score_sum=sum(scores),
        score_squares=sum(s * s for s in scores),
    )
