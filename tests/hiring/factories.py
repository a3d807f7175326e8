"""Hiring factories: published rubric versions with competencies, positions, candidates, applications, interviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from hiring.interviews.services import RatingEntry, submit_scorecard
from hiring.models import Application, Candidate, Competency, Interview, Position, Rubric, RubricVersion
from tests.factories import TeamFactory, UserFactory


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    name = factory.Sequence(lambda n: f"Rubric {n}")


class RubricVersionFactory(factory.django.DjangoModelFactory):
    """A published version with three competencies: empathy (weight 2), listening (1), ownership (1)."""

    class Meta:
        model = RubricVersion
        skip_postgeneration_save = True

    rubric = factory.SubFactory(RubricFactory)
    number = 1
    status = RubricVersion.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        specs = extracted if extracted is not None else [("empathy", "2"), ("listening", "1"), ("ownership", "1")]
        for order, (key, weight) in enumerate(specs):
            CompetencyFactory(
                version=self, key=key, name=key.replace("_", " ").title(), weight=Decimal(weight), order=order
            )


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    key = factory.Sequence(lambda n: f"competency_{n}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    weight = Decimal(1)
    anchor_1 = "Poor"
    anchor_2 = "Weak"
    anchor_3 = "Solid"
    anchor_4 = "Strong"
    anchor_5 = "Outstanding"
    questions = "Tell me about a time...\nWhat would you do if..."


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Service agent {n}")
    team = factory.SubFactory(TeamFactory)
    rubric_version = factory.SubFactory(RubricVersionFactory)
    bar_score = Decimal("60.0")
    hiring_manager = factory.SubFactory(UserFactory)
    opened_on = dt.date(2026, 1, 5)

    @factory.post_generation
    def interviewers(self, create, extracted, **kwargs):
        if extracted:
            self.interviewers.set(extracted)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Sequence(lambda n: f"Candidate Person{n}")
    email = factory.Sequence(lambda n: f"candidate{n}@mail.example")
    phone = factory.Sequence(lambda n: f"+31 6 5550 {n:04d}")
    has_consent = True
    retain_until = dt.date(2027, 1, 1)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    candidate = factory.SubFactory(CandidateFactory)
    position = factory.SubFactory(PositionFactory)
    stage = Application.Stage.INTERVIEW
    applied_on = dt.date(2026, 2, 1)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory)
    # Two hours ago: taken place, so its scorecards may be submitted.
    scheduled_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))

    @factory.post_generation
    def interviewers(self, create, extracted, **kwargs):
        self.interviewers.set(extracted or [UserFactory()])


def submit(interview, interviewer, recommendation="yes", evidence="", **ratings):
    """Submit a scorecard through the service; ratings by competency key (missing = not assessed)."""
    competencies = {c.key: c for c in interview.application.position.rubric_version.competencies.all()}
    entries = {competencies[key].pk: RatingEntry(rating=value, evidence=evidence) for key, value in ratings.items()}
    return submit_scorecard(
        interviewer=interviewer, interview=interview, recommendation=recommendation, ratings=entries
    )


def passing_panel(application):
    """An interview with one submitted scorecard above the bar: what an offer or a hire rests on."""
    interview = InterviewFactory(application=application)
    return submit(
        interview, interview.interviewers.get(), evidence="Clear examples", empathy=5, listening=5, ownership=5
    )
