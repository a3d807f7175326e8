"""REST API for interviews and interview scorecards (submit your own) under /api/v1/hiring/.

Every queryset goes through `visible_to(user)`, so another object's id is a 404; scorecards and scores
follow the blind rule exactly as the pages do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api import ScopedViewSetMixin
from hiring.models import Competency, Interview, Rating, Scorecard

from .services import RatingEntry, submit_scorecard


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


class InterviewViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InterviewSerializer
    queryset = Interview.objects.all()

    def refine_queryset(self, queryset):
        return queryset.prefetch_related("interviewers").order_by("pk")


class ScorecardViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Scorecards you may see (blind rule applies); POST submits your own for an interview you are assigned to."""

    serializer_class = ScorecardSerializer
    queryset = Scorecard.objects.all()

    def refine_queryset(self, queryset):
        return queryset.prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.order_by("competency__order", "pk"))
        ).order_by("pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        interview = Interview.objects.visible_to(request.user).filter(pk=data["interview"].pk).first()
        if interview is None:  # another team's interview is a 404, as on its own URL
            raise Http404("No such interview.")
        ratings = {
            row["competency"].pk: RatingEntry(rating=row.get("rating"), evidence=row.get("evidence", ""))
            for row in data["ratings"]
        }
        try:
            scorecard = submit_scorecard(
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
