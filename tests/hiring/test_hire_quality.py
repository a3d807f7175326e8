"""hire_quality: the contract the board report reads (a period's hires, panel score, bar, 90-day rating)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

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


# --- which competencies predict results (a small known data set, r worked out by hand) -------------------


def test_competency_predictions_pure_exact_r_and_withheld_below_the_minimum():
    from hiring.insights.calculations import HireOutcome, competency_predictions

    # empathy x = 1..5; 90-day y = 1,3,2,5,4: dx = -2,-1,0,1,2, dy = -2,0,-1,2,1 -> sxy 8, sxx 10, syy 10, r 0.80
    # KPI change 5,4,3,2,1 falls as empathy rises: r -1.00. Listening does not vary: no r. Ownership n=4 < 5.
    outcomes = [
        HireOutcome(
            interview={"empathy": D(x), "listening": D(3), **({"ownership": D(x)} if x > 1 else {})},
            rating_90_day=D(y),
            kpi_change=D(k),
        )
        for x, y, k in [(1, 1, 5), (2, 3, 4), (3, 2, 3), (4, 5, 2), (5, 4, 1)]
    ]
    rows = {
        row.key: row for row in competency_predictions(["empathy", "listening", "ownership"], outcomes, min_sample=5)
    }
    assert (rows["empathy"].rating_90_day.correlation, rows["empathy"].kpi_change.correlation) == (
        D("0.80"),
        D("-1.00"),
    )
    assert rows["empathy"].rating_90_day.sample_size == 5 and rows["empathy"].rating_90_day.is_enough
    assert (rows["listening"].rating_90_day.sample_size, rows["listening"].rating_90_day.correlation) == (5, None)
    assert rows["ownership"].rating_90_day.sample_size == 4
    assert rows["ownership"].rating_90_day.is_enough is False and rows["ownership"].rating_90_day.correlation is None


def test_competency_predictions_skip_hires_without_the_outcome():
    from hiring.insights.calculations import HireOutcome, competency_predictions

    outcomes = [HireOutcome(interview={"a": D(n)}, rating_90_day=D(n), kpi_change=None) for n in (1, 2, 3)]
    [row] = competency_predictions(["a"], outcomes, min_sample=2)
    assert (row.rating_90_day.sample_size, row.rating_90_day.correlation) == (3, D("1.00"))
    assert (row.kpi_change.sample_size, row.kpi_change.correlation) == (0, None)
    with pytest.raises(ValueError, match="at least 2"):
        competency_predictions(["a"], outcomes, min_sample=1)


def _csat(team, day, satisfied):
    from culture.measurements.rollups import refresh_rows
    from culture.models import Kpi, Measurement

    row = Measurement.objects.create(
        team=team,
        kpi=Kpi.objects.get(code="csat"),
        date=day,
        channel="all",
        numerator=satisfied,
        denominator=100,
        sample_size=100,
    )
    refresh_rows([row])


def test_competency_quality_on_a_known_data_set(recruiter):
    from hiring.insights.quality import competency_quality

    version = RubricVersionFactory()
    # Five hires in five teams, hired 2026-02-01 (Q1); the team's CSAT is 80.0 in Q1 and 85..81 in Q2.
    for x, y, after in [(1, 1, 85), (2, 3, 84), (3, 2, 83), (4, 5, 82), (5, 4, 81)]:
        team = TeamFactory()
        position = PositionFactory(team=team, rubric_version=version)
        _hire(
            position,
            dt.date(2026, 2, 1),
            panel=[(UserFactory(), {"empathy": x, "listening": 3, "ownership": x if x > 1 else None})],
            review={"empathy": y, "listening": y, "ownership": y},
        )
        _csat(team, dt.date(2026, 2, 15), 80)
        _csat(team, dt.date(2026, 5, 15), after)
    quality = competency_quality(version, viewer=recruiter, today=dt.date(2026, 7, 15))
    rows = {row.competency.key: row.prediction for row in quality.rows}
    assert (quality.hires, quality.kpi_code, quality.is_enough) == (5, "csat", True)
    assert (rows["empathy"].rating_90_day.correlation, rows["empathy"].kpi_change.correlation) == (
        D("0.80"),
        D("-1.00"),
    )
    assert rows["empathy"].kpi_change.sample_size == 5
    assert rows["listening"].rating_90_day.correlation is None
    assert (rows["ownership"].rating_90_day.sample_size, rows["ownership"].rating_90_day.is_enough) == (4, False)
    # Before Q2 has ended the KPI change is not known yet: n 0.
    early = competency_quality(version, viewer=recruiter, today=dt.date(2026, 6, 30))
    assert early.rows[0].prediction.kpi_change.sample_size == 0


def test_competency_quality_says_too_few_hires_on_the_validity_page(client, recruiter):
    from django.urls import reverse

    version = RubricVersionFactory()
    position = PositionFactory(rubric_version=version)
    _hire(
        position,
        dt.date(2026, 2, 1),
        panel=[(UserFactory(), {"empathy": 4})],
        review=dict.fromkeys(("empathy", "listening", "ownership"), 4),
    )
    client.force_login(recruiter)
    page = client.get(reverse("hiring:rubric_validity", args=[version.pk])).content.decode()
    assert "Too few hires to tell yet: 1 reviewed, at least 5 needed." in page
    assert "too few hires" in page


def test_scheduled_but_unrecorded_reviews_do_not_count(recruiter):
    from hiring.insights.quality import competency_quality

    version = RubricVersionFactory()
    application = _hire(
        PositionFactory(rubric_version=version), dt.date(2026, 2, 1), panel=[(UserFactory(), {"empathy": 4})]
    )
    HireReview.objects.create(application=application, due_on=dt.date(2026, 5, 2))
    assert competency_quality(version, viewer=recruiter, today=dt.date(2026, 7, 15)).hires == 0


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(-20, 20)),
        max_size=12,
    ),
    st.integers(2, 8),
)
def test_competency_predictions_r_is_bounded_and_withheld_below_the_minimum(rows, min_sample):
    from hiring.insights.calculations import HireOutcome, competency_predictions

    outcomes = [HireOutcome(interview={"a": D(x)}, rating_90_day=D(y), kpi_change=D(k)) for x, y, k in rows]
    [row] = competency_predictions(["a"], outcomes, min_sample=min_sample)
    for prediction in (row.rating_90_day, row.kpi_change):
        assert prediction.sample_size == len(rows)
        if len(rows) < min_sample:
            assert prediction.correlation is None
        elif prediction.correlation is not None:
            assert D(-1) <= prediction.correlation <= D(1)


def test_the_reminder_task_takes_an_iso_date_and_is_safe_to_run_twice(recruiter, lead_a, team_a):
    from core.models import Notification
    from hiring.candidates.services import hire
    from hiring.tasks import remind_due_hire_reviews

    position = PositionFactory(team=team_a)
    application = ApplicationFactory(position=position, stage="offer")
    interview = Interview.objects.create(application=application, scheduled_at=timezone.now())
    panelist = UserFactory()
    interview.interviewers.add(panelist)
    submit(interview, panelist, evidence="e", empathy=5, listening=5, ownership=5)
    hire(
        actor=recruiter,
        application=application,
        reason="Accepted",
        starts_on=dt.date(2026, 3, 2),
        email="t@centric.example",
        employee_number="E-T1",
        today=dt.date(2026, 3, 2),
    )
    assert remind_due_hire_reviews("2026-05-30") == 0
    assert remind_due_hire_reviews("2026-05-31") == 2
    assert remind_due_hire_reviews("2026-05-31") == 0
    assert Notification.objects.filter(key__startswith="hiring.hire_review.").count() == 2
