"""Explanations as codes: today's English words unchanged for every demo line, and migration 0005 converts
stored runs (approved ones too, through the trigger's allowance for exactly that migration), audited."""

from __future__ import annotations

import importlib
from functools import partial

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from core.models import AuditEntry
from core.money import round_money
from incentives import calculations as calc
from incentives import services
from incentives.explain import LITERAL, legacy_row_to_code, render_component, stint_components_json
from incentives.inputs import load_plan_inputs
from incentives.models import ImmutableRunError, PayoutStint, Plan

from . import legacy_explain
from .factories import close_period_of

pytestmark = pytest.mark.django_db
migration = importlib.import_module("incentives.migrations.0005_explanations_as_codes")


class Editor:
    """What the migration uses of a schema editor: the connection and `execute` (a real one cannot open
    inside a test's transaction on SQLite)."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _scope(row, stint) -> str:
    return {"team": stint.team_label, "department": "department", "company": "company"}[row["level"]]


def test_every_demo_line_renders_from_codes_exactly_as_it_was_stored():
    call_command("seed_demo", teams=6, people_per_team=4, months=2)
    rows = 0
    with translation.override("en"):
        for plan in Plan.objects.filter(name__in=["Customer Care bonus", "Service points"]):
            inputs = load_plan_inputs(plan=plan)
            result = calc.calculate_run(
                specs=inputs.specs,
                people=inputs.people,
                period_days=inputs.period_days,
                rounder=partial(round_money, currency=plan.currency),
            )
            for line in result.lines:
                for stint in line.stints:
                    for row in legacy_explain.stint_components_json(stint, inputs.components, plan.currency):
                        coded = legacy_row_to_code(row, scope=_scope(row, stint), currency=plan.currency)
                        assert coded["code"] != LITERAL, row["text"]
                        assert "text" not in coded
                        assert render_component(coded) == row["text"]
                        rows += 1
                    # new runs store codes whose words are the new wording, never empty
                    assert all(render_component(r) for r in stint_components_json(stint, inputs.components, "EUR"))
    assert rows > 20


def test_words_no_code_reproduces_are_kept_as_words():
    row = {
        "key": "1",
        "label": "FCR",
        "level": "team",
        "actual": "80",
        "curve_point": "capped",
        "payout_pct": "120",
        "weight_share": "1",
        "amount": "5",
        "amount_per_unit": "0",
        "is_gate": False,
        "reason": "",
        "text": "FCR was edited by hand",
    }
    coded = legacy_row_to_code(row, scope="Team A", currency="EUR")
    assert coded["code"] == LITERAL
    assert render_component(coded) == "FCR was edited by hand"


def _legacy_approved_run(cco, cco2, plan, scorecards, team_a, team_b):
    scorecards.set("team", team_a.pk, fcr="83.7")
    scorecards.set("team", team_b.pk, fcr="90")
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    inputs = load_plan_inputs(plan=plan)
    result = calc.calculate_run(
        specs=inputs.specs, people=inputs.people, period_days=inputs.period_days, rounder=lambda d: d
    )
    legacy = {
        (s.team_id, s.days): legacy_explain.stint_components_json(s, inputs.components, "EUR")
        for line in result.lines
        for s in line.stints
    }
    words = {}
    for stint in PayoutStint.objects.filter(breakdown__run=run):
        rows = legacy[(stint.team_id, stint.days)]
        PayoutStint.objects.filter(pk=stint.pk).update(components=rows)  # as runs before codes stored them
        words[stint.pk] = [r["text"] for r in rows]
    close_period_of(plan)
    services.approve_payout_run(run_id=run.pk, actor=cco2)
    return run, words


def test_migration_converts_an_approved_runs_words_to_codes_audited(cco, cco2, plan, org, scorecards, team_a, team_b):
    run, words = _legacy_approved_run(cco, cco2, plan, scorecards, team_a, team_b)
    apps = MigrationExecutor(connection).loader.project_state(("incentives", "0005_explanations_as_codes")).apps
    with transaction.atomic():
        migration.forwards(apps, Editor())
    for stint in PayoutStint.objects.filter(breakdown__run=run):
        assert all(row["code"] != LITERAL and "text" not in row for row in stint.components)
        with translation.override("en"):
            assert [render_component(row) for row in stint.components] == words[stint.pk]
    entry = AuditEntry.objects.get(action="payoutrun.explanations_to_codes", object_id=str(run.pk))
    assert entry.after == {"format": "codes and figures", "coded": 3, "kept_as_text": 0}
    # the approved run is immutable again: the allowance lived only inside the migration
    stint = PayoutStint.objects.filter(breakdown__run=run).first()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE incentives_payoutstint SET components = '[]' WHERE id = %s", [stint.pk])
    with pytest.raises(ImmutableRunError):
        PayoutStint.objects.filter(pk=stint.pk).update(components=[])


def test_migration_leaves_coded_rows_alone(cco, plan, org, scorecards, team_a, team_b):
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="90")
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    before = list(PayoutStint.objects.filter(breakdown__run=run).values_list("pk", "components"))
    apps = MigrationExecutor(connection).loader.project_state(("incentives", "0005_explanations_as_codes")).apps
    with transaction.atomic():
        migration.forwards(apps, Editor())
    assert list(PayoutStint.objects.filter(breakdown__run=run).values_list("pk", "components")) == before
    assert not AuditEntry.objects.filter(action="payoutrun.explanations_to_codes").exists()
