"""REST API for the people sync: POST the HR system's people as JSON, preview (dry run) or apply."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .services import SyncResult, sync_people_records

SYNC_PERMISSION = "culture.change_person"


class CanSyncPeople(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm(SYNC_PERMISSION)


class PersonRecordSerializer(serializers.Serializer):
    """One person as the HR system has them (documentation: records are checked by the sync's rules)."""

    employee_id = serializers.CharField(help_text="the HR system's employee id (matches employee_number)")
    name = serializers.CharField()
    email = serializers.EmailField()
    department = serializers.CharField(required=False, help_text="department path, e.g. Service/Nordics")
    team = serializers.CharField(required=False, help_text="team name (with department) or name/slug alone")
    role = serializers.ChoiceField(choices=["member", "lead"], required=False)
    manager_id = serializers.CharField(required=False, allow_blank=True, help_text="the manager's employee id")
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True, help_text="last day; on or before today: leaver")
    effective_date = serializers.DateField(required=False, allow_null=True, help_text="when a move takes effect")


SyncRequestSerializer = inline_serializer(
    "PeopleSyncRequest",
    fields={
        "people": PersonRecordSerializer(many=True),
        "separator": serializers.CharField(required=False, default="/"),
        "effective_date": serializers.DateField(required=False, help_text="default for rows without one; today"),
    },
)
SyncResponseSerializer = inline_serializer(
    "PeopleSyncResult",
    fields={
        "applied": serializers.BooleanField(),
        "rows": serializers.IntegerField(),
        "counts": serializers.DictField(child=serializers.IntegerField()),
        "changes": serializers.ListField(child=serializers.DictField()),
        "error_count": serializers.IntegerField(),
        "errors": serializers.ListField(child=serializers.DictField()),
    },
)


def _payload(result: SyncResult) -> dict:
    return {
        "applied": result.applied,
        "rows": result.plan.row_count,
        "counts": result.counts,
        "changes": [
            {
                "kind": change.kind,
                "row": change.row,
                "employee_id": change.employee_number,
                "team": change.team.label if change.team else None,
                "role": change.role or None,
                "start": change.start,
                "end": change.end or (change.close[0][1] if change.close else None),
            }
            for change in result.plan.changes
        ],
        "error_count": result.error_count,
        "errors": [error.__dict__ for error in result.errors],
    }


class PeopleSyncViewSet(viewsets.ViewSet):
    """People from the HR system: `preview` shows the difference, `apply` writes it all or nothing."""

    permission_classes = [permissions.IsAuthenticated, CanSyncPeople]
    throttle_scope = "bulk"  # the whole org in one call: the bulk budget, as the measurement upserts (users.throttles)

    def _run(self, request, *, dry_run: bool) -> Response:
        body = request.data
        people = body.get("people") if isinstance(body, dict) else None
        if not isinstance(people, list):
            return Response(
                {"detail": 'Send {"people": [...]} with one object per person.', "error_count": 1, "errors": []},
                status=status.HTTP_400_BAD_REQUEST,
            )
        effective = None
        if body.get("effective_date"):
            try:
                effective = dt.date.fromisoformat(str(body["effective_date"]))
            except ValueError:
                return Response(
                    {"detail": "effective_date is not an ISO date (YYYY-MM-DD).", "error_count": 1, "errors": []},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        result = sync_people_records(
            records=people,
            actor=request.user,
            source="api",
            separator=str(body.get("separator") or "/"),
            effective=effective,
            dry_run=dry_run,
        )
        code = status.HTTP_200_OK if result.is_valid else status.HTTP_400_BAD_REQUEST
        return Response(_payload(result), status=code)

    @extend_schema(
        summary="Preview a people sync",
        description="Checks every record and returns the changes a sync would make; writes nothing.",
        request=SyncRequestSerializer,
        responses={200: SyncResponseSerializer, 400: SyncResponseSerializer},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request):
        return self._run(request, dry_run=True)

    @extend_schema(
        summary="Apply a people sync",
        description=(
            "Checks every record; if any is bad nothing is written and the 400 lists every bad record (row = "
            "1-based position). Otherwise applies every change in one transaction, audited. Sending the same "
            "people again changes nothing."
        ),
        request=SyncRequestSerializer,
        responses={200: SyncResponseSerializer, 400: SyncResponseSerializer},
    )
    @action(detail=False, methods=["post"])
    def apply(self, request):
        return self._run(request, dry_run=False)
