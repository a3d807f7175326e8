"""hire_quality: the contract the board report reads (a period's hires, panel score, bar, 90-day rating)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from hiring.insights import Hire, hire_quality
from hiring.models import Application, HireRating, HireReview, Interview
from tests.factories import TeamFactory, UserFactory

from .factories import ApplicationFactory, PositionFactory, RubricVersionFactory, submit

pytestmark = pytest.mark.django_db


def _hire(position, hired_on, panel=(), review=None, stage=Application.Stage.HIRED):
    application = ApplicationFactory(position=position, stage=stage, hired_on=hired_on)
    if panel:
        interview = Interview.objects.create(application=application, scheduled_at=timezone.now())
        for interviewer, ratings in panel:
            interview.interviewers.add(interviewer)
            submit(interview, interviewer, evidence="e", **ratings)
    if review:
        rated = HireReview.objects.create(application=application, reviewed_by=UserFactory(), reviewed_on=hired_on)
        for competency in position.rubric_version.competencies.all():
            HireRating.objects.create(review=rated, competency=competency, rating=review[competency.key])
    return application


def test_hires_of_the_period_with_score_bar_and_90_day_rating():
    # empathy weighs 2, listening 1, ownership 1; the bar is 60.0
    position = PositionFactory(team=TeamFactory(name="Care A"), rubric_version=RubricVersionFactory())
    x, y = UserFactory(), UserFactory()
    _hire(
        position,
        dt.date(2026, 9, 10),
        panel=[
            (x, {"empathy": 4, "listening": 3, "ownership": 5}),
            (y, {"empathy": 5, "listening": 3, "ownership": 3}),
        ],
        review={"empathy": 4, "listening": 3, "ownership": 4},
    )
    _hire(position, dt.date(2026, 9, 20), panel=[(x, {"empathy": 2, "listening": 3, "ownership": 1})])
    _hire(position, dt.date(2026, 9, 30), review={"empathy": 5, "listening": 5, "ownership": 5})
    _hire(position, dt.date(2026, 10, 1), review={"empathy": 1, "listening": 1, "ownership": 1})  # next period
    _hire(position, None, stage=Application.Stage.INTERVIEW)  # not a hire

    quality = hire_quality(dt.date(2026, 9, 1), dt.date(2026, 9, 30))

    # means 4.5, 3, 4 -> (2*3.5 + 2 + 3) / 4 = 3 of 4 -> 75.0; 90-day 11/3 -> 3.67
    # means 2, 3, 1   -> (2*1 + 2 + 0) / 4 = 1 of 4 -> 25.0; no review yet
    # no interview    -> no score; 90-day 5.00
    assert quality.hires == (
        Hire(team="Care A", score=D("75.0"), bar=D("60.0"), meets_bar=True, rating_90_day=D("3.67")),
        Hire(team="Care A", score=D("25.0"), bar=D("60.0"), meets_bar=False, rating_90_day=None),
        Hire(team="Care A", score=None, bar=D("60.0"), meets_bar=None, rating_90_day=D("5.00")),
    )
    assert quality.n == 3
    assert quality.mean_score == D("50.0")
    assert quality.meets_bar_percent == D("50")
    assert quality.mean_rating_90_day == D("4.335")
    assert (len(quality.scores), len(quality.judged), len(quality.ratings_90_day)) == (2, 2, 2)


def test_a_period_without_hires_has_no_means():
    quality = hire_quality(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert quality.n == 0
    assert (quality.mean_score, quality.meets_bar_percent, quality.mean_rating_90_day) == (None, None, None)
