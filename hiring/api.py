"""REST API for hiring under /api/v1/hiring/: read what you may see, submit your own scorecards.

Every queryset goes through `visible_to(user)`, so another object's id is a 404; scorecards and scores
follow the blind rule exactly as the pages do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from . import services
from .models import Application, Competency, Interview, Position, Rating, RubricVersion, Scorecard
from .queries import application_aggregates


class CompetencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Competency
        fields = [
            "id",
            "key",
            "name",
            "description",
            "weight",
            "anchor_1",
            "anchor_2",
            "anchor_3",
            "anchor_4",
            "anchor_5",
            "questions",
        ]


class RubricVersionSerializer(serializers.ModelSerializer):
    rubric = serializers.CharField(source="rubric.name")
    competencies = CompetencySerializer(many=True)

    class Meta:
        model = RubricVersion
        fields = ["id", "rubric", "number", "status", "published_at", "competencies"]


class PositionSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Position
        fields = ["id", "title", "team", "rubric_version", "bar_score", "hiring_manager", "status", "opened_on"]


class CompetencySummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    spread = serializers.IntegerField(allow_null=True)
    has_disagreement = serializers.BooleanField()


class AggregateSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    meets_bar = serializers.BooleanField(allow_null=True)
    has_disagreement = serializers.BooleanField()
    scorecard_count = serializers.IntegerField()
    competencies = CompetencySummarySerializer(many=True)


class ApplicationSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="candidate.name")
    aggregate = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "candidate", "candidate_name", "position", "stage", "applied_on", "hired_on", "aggregate"]

    def get_aggregate(self, obj) -> dict:
        aggregate = self.context["aggregates"][obj.pk]
        return AggregateSerializer(aggregate).data


class InterviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interview
        fields = ["id", "application", "title", "scheduled_at", "interviewers"]


class RatingSerializer(serializers.ModelSerializer):
    competency = serializers.PrimaryKeyRelatedField(queryset=Competency.objects.all())
    rating = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)
    evidence = serializers.CharField(allow_blank=True, required=False, default="")

    class Meta:
        model = Rating
        fields = ["competency", "rating", "evidence"]


class ScorecardSerializer(serializers.ModelSerializer):
    interview = serializers.PrimaryKeyRelatedField(queryset=Interview.objects.all())
    ratings = RatingSerializer(many=True)

    class Meta:
        model = Scorecard
        fields = ["id", "interview", "interviewer", "recommendation", "summary", "submitted_at", "ratings"]
        read_only_fields = ["interviewer", "submitted_at"]


class RubricVersionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RubricVersionSerializer

    def get_queryset(self):
        return (
            RubricVersion.objects.visible_to(self.request.user)
            .select_related("rubric")
            .prefetch_related("competencies")
            .order_by("pk")
        )


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PositionSerializer

    def get_queryset(self):
        return Position.objects.visible_to(self.request.user).select_related("team").order_by("pk")


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications with their aggregate, computed from the scorecards the caller may see."""

    serializer_class = ApplicationSerializer

    def get_queryset(self):
        return Application.objects.visible_to(self.request.user).select_related("candidate", "position").order_by("pk")

    def _respond(self, rows, many):
        aggregates = application_aggregates(self.request.user, rows)
        return self.get_serializer(
            rows if many else rows[0], many=many, context={**self.get_serializer_context(), "aggregates": aggregates}
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page) if page is not None else list(self.get_queryset())
        serializer = self._respond(rows, many=True)
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self._respond([self.get_object()], many=False).data)


class InterviewViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InterviewSerializer

    def get_queryset(self):
        return Interview.objects.visible_to(self.request.user).prefetch_related("interviewers").order_by("pk")


class ScorecardViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Scorecards you may see (blind rule applies); POST submits your own for an interview you are assigned to."""

    serializer_class = ScorecardSerializer

    def get_queryset(self):
        return (
            Scorecard.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("ratings", queryset=Rating.objects.order_by("competency__order", "pk")))
            .order_by("pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        interview = get_object_or_404(Interview.objects.visible_to(request.user), pk=data["interview"].pk)
        ratings = {
            row["competency"].pk: services.RatingEntry(rating=row.get("rating"), evidence=row.get("evidence", ""))
            for row in data["ratings"]
        }
        try:
            scorecard = services.submit_scorecard(
                interviewer=request.user,
                interview=interview,
                recommendation=data["recommendation"],
                summary=data.get("summary", ""),
                ratings=ratings,
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except DjangoValidationError as error:
            raise ValidationError(error.messages) from error
        return Response(self.get_serializer(scorecard).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("hiring/rubric-versions", RubricVersionViewSet, basename="hiring-rubricversion")
    router.register("hiring/positions", PositionViewSet, basename="hiring-position")
    router.register("hiring/applications", ApplicationViewSet, basename="hiring-application")
    router.register("hiring/interviews", InterviewViewSet, basename="hiring-interview")
    router.register("hiring/scorecards", ScorecardViewSet, basename="hiring-scorecard")
