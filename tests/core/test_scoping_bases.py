"""The shared bases scope by `visible_to(user)` themselves; subclasses only narrow the scoped rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import DetailView, UpdateView
from rest_framework import serializers, viewsets
from rest_framework.test import APIRequestFactory, force_authenticate

from core.api import ScopedViewSetMixin
from core.views import FilteredTableView, ScopedObjectMixin, ScopedQuerysetMixin, scoping_exemption
from culture.models import Kpi, Team
from culture.org.filtersets import TeamFilterSet
from culture.org.tables import TeamTable

pytestmark = pytest.mark.django_db


class TeamList(FilteredTableView):
    queryset = Team.objects.all()
    table_class = TeamTable
    filterset_class = TeamFilterSet
    permission_required = "culture.view_team"


class ActiveTeamList(TeamList):
    def refine_queryset(self, queryset):
        return queryset.filter(is_active=True).annotate(people=Count("memberships"))


class TeamDetail(ScopedObjectMixin, DetailView):
    model = Team


class TeamUpdate(ScopedObjectMixin, UpdateView):
    model = Team
    fields = ["name"]


class Catalogue(ScopedQuerysetMixin, DetailView):
    queryset = Kpi.objects.all()
    slug_field = slug_url_kwarg = "code"
    scoping = "none: the KPI catalogue is the same for every user"


class UnscopedCatalogue(ScopedQuerysetMixin, DetailView):
    model = Kpi


class Sneaky(TeamDetail):
    def refine_queryset(self, queryset):
        return Kpi.objects.all()


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class TeamViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    pagination_class = None

    def refine_queryset(self, queryset):
        return queryset.order_by("name")


def _view(view_class, user, **kwargs):
    view = view_class()
    request = RequestFactory().get("/")
    request.user = user
    view.setup(request, **kwargs)
    return view


def test_list_base_scopes_without_the_subclass_asking(lead_a, team_a, team_b):
    assert list(_view(TeamList, lead_a).get_queryset()) == [team_a]


def test_refine_hook_narrows_the_scoped_rows_and_annotates_after_scoping(lead_a, team_a, team_b):
    team_b.memberships.all().delete()
    rows = list(_view(ActiveTeamList, lead_a).get_queryset())
    assert rows == [team_a]
    assert rows[0].people == 1
    team_a.is_active = False
    team_a.save()
    assert not _view(ActiveTeamList, lead_a).get_queryset().exists()


def test_list_page_and_its_export_hold_only_visible_rows(lead_a, team_a, team_b, rf):
    request = rf.get("/", {"_export": "csv"})
    request.user = lead_a
    response = TeamList.as_view()(request)
    body = b"".join(response.streaming_content).decode()
    assert team_a.name in body
    assert team_b.name not in body


def test_object_base_turns_another_teams_object_into_a_404(lead_a, team_a, team_b):
    assert _view(TeamDetail, lead_a, slug=team_a.slug).get_object() == team_a
    with pytest.raises(Http404):
        _view(TeamDetail, lead_a, slug=team_b.slug).get_object()
    with pytest.raises(Http404):
        _view(TeamUpdate, lead_a, pk=team_b.pk).get_object()


def test_executives_see_every_object_as_visible_to_says(cco, team_a, team_b):
    assert set(_view(TeamList, cco).get_queryset()) == {team_a, team_b}
    assert _view(TeamDetail, cco, slug=team_b.slug).get_object() == team_b


def test_a_declared_exemption_skips_the_scope_and_says_why(lead_a):
    assert scoping_exemption(Catalogue) == "the KPI catalogue is the same for every user"
    assert scoping_exemption(TeamDetail) is None
    assert _view(Catalogue, lead_a, code="aht").get_object().code == "aht"


def test_an_exemption_needs_a_reason():
    class NoReason(Catalogue):
        scoping = "none: "

    assert scoping_exemption(NoReason) is None


def test_a_model_without_visible_to_must_declare_itself(lead_a):
    with pytest.raises(ImproperlyConfigured, match="has no visible_to"):
        _view(UnscopedCatalogue, lead_a, pk=1).get_queryset()


def test_refine_cannot_swap_the_model(lead_a, team_a):
    with pytest.raises(ImproperlyConfigured, match="changed the model"):
        _view(Sneaky, lead_a, slug=team_a.slug).get_queryset()


def test_viewset_base_scopes_list_and_retrieve(lead_a, team_a, team_b):
    factory = APIRequestFactory()
    listing = factory.get("/")
    force_authenticate(listing, user=lead_a)
    response = TeamViewSet.as_view({"get": "list"})(listing)
    assert [row["id"] for row in response.data] == [team_a.pk]
    for team, status in ((team_a, 200), (team_b, 404)):
        one = factory.get("/")
        force_authenticate(one, user=lead_a)
        assert TeamViewSet.as_view({"get": "retrieve"})(one, pk=team.pk).status_code == status


def test_filter_dropdowns_offer_only_visible_rows(lead_a, cco, team_a, team_b, rf):
    """A choice filter is a list too: the base FilterSet narrows it by `visible_to(request.user)`."""
    for user, departments in ((lead_a, {team_a.department}), (cco, {team_a.department, team_b.department})):
        request = rf.get("/")
        request.user = user
        filterset = TeamFilterSet(request.GET, queryset=Team.objects.all(), request=request)
        assert set(filterset.form.fields["department"].queryset) == departments
    request = rf.get("/", {"department": team_b.department.pk})
    request.user = lead_a
    filterset = TeamFilterSet(request.GET, queryset=Team.objects.all(), request=request)
    assert not filterset.is_valid()
    assert "department" in filterset.errors


def test_a_choice_filter_over_a_model_without_visible_to_is_offered_whole(lead_a, rf):
    from culture.measurements.filtersets import MeasurementFilterSet

    request = rf.get("/")
    request.user = lead_a
    filterset = MeasurementFilterSet(request.GET, request=request)
    assert Kpi.objects.exists()
    assert filterset.form.fields["kpi"].queryset.count() == Kpi.objects.count()
