"""REST API for measurements: the read-only KPI catalogue and the bulk measurement upsert."""

from __future__ import annotations

import codecs
import json
from decimal import Decimal

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from ..models import ImportBatch, Kpi
from ..models.kpis import Channel
from .responses import upsert_responses
from .services import upsert_measurements


class KpiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = [
            "code",
            "name",
            "definition",
            "category",
            "unit",
            "direction",
            "aggregation",
            "scale",
            "decimals",
            "survey",
            "is_standard",
        ]


class KpiViewSet(viewsets.ReadOnlyModelViewSet):
    """The KPI catalogue: standard and user-defined KPIs with their aggregation."""

    serializer_class = KpiSerializer
    queryset = Kpi.objects.order_by("category", "code")
    lookup_field = "code"
    scoping = "none: the KPI catalogue is the same for every user"


class DecimalJSONParser(JSONParser):
    """JSON whose numbers become Decimal, never float; NaN and Infinity are refused."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number we can store")


class MeasurementRowSerializer(serializers.Serializer):
    """One measurement row (documentation only: rows are checked by the import rules, like a file's)."""

    team = serializers.SlugField(help_text="team slug")
    kpi = serializers.SlugField(help_text="KPI code")
    date = serializers.DateField(help_text="ISO date YYYY-MM-DD")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, help_text="default all")
    value = serializers.DecimalField(max_digits=18, decimal_places=6, required=False, allow_null=True)
    numerator = serializers.DecimalField(max_digits=18, decimal_places=6, required=False, allow_null=True)
    denominator = serializers.DecimalField(max_digits=18, decimal_places=6, required=False, allow_null=True)
    sample_size = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    sum_squares = serializers.DecimalField(
        max_digits=20,
        decimal_places=6,
        required=False,
        allow_null=True,
        help_text="survey KPIs: sum of squared per-response scores (NPS: promoters + detractors), keeps the interval",
    )
    opening = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, help_text="customer-base KPIs: customers at the day's start"
    )
    gained = serializers.IntegerField(min_value=0, required=False, allow_null=True, help_text="customers gained")
    lost = serializers.IntegerField(min_value=0, required=False, allow_null=True, help_text="customers lost")
    closing = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, help_text="customer-base KPIs: customers at the day's end"
    )


RowErrorSerializer = inline_serializer(
    "ImportRowError",
    fields={
        "row": serializers.IntegerField(help_text="1-based position in the list"),
        "column": serializers.CharField(),
        "value": serializers.CharField(),
        "reason": serializers.CharField(),
    },
)
ImportSummarySerializer = inline_serializer(
    "ImportSummary",
    fields={
        "batch": serializers.IntegerField(allow_null=True),
        "dry_run": serializers.BooleanField(),
        "rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
    },
)
ImportErrorsSerializer = inline_serializer(
    "ImportErrors",
    fields={
        "detail": serializers.CharField(),
        "error_count": serializers.IntegerField(),
        "errors": RowErrorSerializer.__class__(many=True),
    },
)


class CanImportMeasurements(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("culture.add_measurement")


class MeasurementBulkViewSet(viewsets.ViewSet):
    """All-or-nothing bulk upsert of measurements, with the same rules and error format as a file import."""

    permission_classes = [permissions.IsAuthenticated, CanImportMeasurements]
    parser_classes = [DecimalJSONParser]
    throttle_scope = "bulk"  # thousands of rows per call: a stricter budget than reads (users.throttles)

    @extend_schema(
        summary="Bulk upsert measurements",
        description=(
            "POST a JSON list of rows with the measurement file's columns. Every row is checked first; if any "
            "is bad nothing is written and the 400 response lists every bad row. Re-sending the same rows "
            "changes nothing. Team leads may send rows for the teams they lead only."
        ),
        request=MeasurementRowSerializer(many=True),
        parameters=[OpenApiParameter("dry_run", bool, description="check and count, write nothing")],
        responses={200: ImportSummarySerializer, 400: ImportErrorsSerializer},
    )
    def create(self, request):
        return _bulk_upsert(request, upsert_measurements)


def _bulk_upsert(request, upsert) -> Response:
    """The bulk endpoints' shared body: a JSON list of rows, all or nothing, `?dry_run=1` to check only."""
    rows = request.data
    if not isinstance(rows, list):
        return Response(
            {"detail": "Send a JSON list of rows.", "error_count": 1, "errors": []},
            status=status.HTTP_400_BAD_REQUEST,
        )
    dry_run = request.query_params.get("dry_run", "").lower() in {"1", "true", "yes"}
    result = upsert(rows=rows, user=request.user, source=ImportBatch.Source.API, dry_run=dry_run)
    return _import_response(result, dry_run)


def _import_response(result, dry_run: bool) -> Response:
    """A bulk upsert's answer: 400 with every bad row, or the counts."""
    if not result.is_valid:
        return Response(
            {
                "detail": result.file_error or f"{result.error_count} bad row(s); nothing was written.",
                "error_count": result.error_count,
                "errors": [error.__dict__ for error in result.errors],
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    counts = result.counts
    assert counts is not None  # a valid import has merged its rows
    return Response(
        {
            "batch": result.batch_id,
            "dry_run": dry_run,
            "rows": result.row_count,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        }
    )


class SurveyResponseRowSerializer(serializers.Serializer):
    """One survey response (documentation only: rows are checked by the import rules, like a file's)."""

    team = serializers.SlugField(help_text="team slug")
    survey = serializers.ChoiceField(choices=["nps", "csat", "ces"])
    date = serializers.DateField(help_text="ISO date YYYY-MM-DD")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, help_text="default all")
    score = serializers.IntegerField(min_value=0, help_text="NPS 0-10, CSAT 1-5, CES 1-7")
    respondent = serializers.CharField(max_length=80, help_text="the survey tool's respondent id")
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="the customer's own words; pages show them with email addresses and phone numbers masked",
    )


class SurveyResponseBulkViewSet(viewsets.ViewSet):
    """All-or-nothing bulk upsert of survey responses (with comments), recomputing the daily survey KPIs."""

    permission_classes = [permissions.IsAuthenticated, CanImportMeasurements]
    throttle_scope = "bulk"

    @extend_schema(
        summary="Bulk upsert survey responses",
        description=(
            "POST a JSON list of responses with the response file's columns (comment optional). Every row is "
            "checked first; if any is bad nothing is written and the 400 response lists every bad row. Re-sending "
            "a response updates its score and comment. Team leads may send responses for the teams they lead only."
        ),
        request=SurveyResponseRowSerializer(many=True),
        parameters=[OpenApiParameter("dry_run", bool, description="check and count, write nothing")],
        responses={200: ImportSummarySerializer, 400: ImportErrorsSerializer},
    )
    def create(self, request):
        return _bulk_upsert(request, upsert_responses)
