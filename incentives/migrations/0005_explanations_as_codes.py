"""Existing runs' explanations become codes and figures (rendered at display time, so they can be translated).

Each stored row's English words are rebuilt from a code (`incentives.explain.legacy_row_to_code`) and kept
as a code only when the rendering equals the stored words exactly; otherwise the row keeps its words
(code `text`). Approved and paid runs are immutable, so on PostgreSQL the stint trigger is swapped, for
this migration's transaction only, for one that lets an UPDATE through when the session says it is this
migration (`centric.explanation_codes`) and nothing but `components` changes; the strict trigger of 0003
is back before the transaction commits. Every converted run gets an audit entry.
"""

import importlib

from django.db import migrations
from django.utils import translation

locked = importlib.import_module("incentives.migrations.0003_locked_run_triggers")

STINTS = "incentives_payoutstint"
SETTING = "centric.explanation_codes"

ALLOWING_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {STINTS}_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locked_run bigint;
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('{SETTING}', true) = 'on' THEN
        -- 0005 only: an approved run's stint may change its explanation (components), nothing else
        SELECT r.id INTO locked_run FROM old_rows o JOIN new_rows n ON n.id = o.id
            JOIN incentives_payoutbreakdown b ON b.id = o.breakdown_id JOIN incentives_payoutrun r ON r.id = b.run_id
            WHERE r.status IN {locked.LOCKED}
              AND (n.breakdown_id, n.team_id, n.days, n.proration, n.gates_met, n.exact_amount)
                  IS DISTINCT FROM (o.breakdown_id, o.team_id, o.days, o.proration, o.gates_met, o.exact_amount)
            LIMIT 1;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT r.id INTO locked_run FROM new_rows t {locked.RUN_OF[STINTS]} WHERE r.status IN {locked.LOCKED} LIMIT 1;
    ELSE
        SELECT r.id INTO locked_run FROM old_rows t {locked.RUN_OF[STINTS]} WHERE r.status IN {locked.LOCKED} LIMIT 1;
    END IF;
    IF locked_run IS NOT NULL THEN
        RAISE EXCEPTION 'payout run % is approved or paid: % on {STINTS} refused', locked_run, TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END $$;
"""  # noqa: S608 - constants only, no input
UPDATE_TRIGGER = f"{STINTS}_locked_update"


def _allow(schema_editor) -> None:
    schema_editor.execute(ALLOWING_FUNCTION, params=None)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {UPDATE_TRIGGER} ON {STINTS}")
    schema_editor.execute(
        f"CREATE TRIGGER {UPDATE_TRIGGER} AFTER UPDATE ON {STINTS} REFERENCING OLD TABLE AS old_rows "
        f"NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {STINTS}_refuse_locked()"
    )
    schema_editor.execute(f"SELECT set_config('{SETTING}', 'on', true)")


def _restore(schema_editor) -> None:
    schema_editor.execute(f"SELECT set_config('{SETTING}', 'off', true)")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {UPDATE_TRIGGER} ON {STINTS}")
    schema_editor.execute(locked._row_function(STINTS), params=None)
    for statement in locked._triggers(STINTS):
        if f" {UPDATE_TRIGGER} " in statement:
            schema_editor.execute(statement)


def convert(stint_model, component_model, audit_model) -> dict[int, dict[str, int]]:
    """Convert every stint's legacy rows; per run the number of rows coded and kept as words."""
    from incentives.explain import LITERAL, legacy_row_to_code

    decimals = dict(component_model.objects.filter(kpi__isnull=False).values_list("pk", "kpi__decimals"))
    per_run: dict[int, dict[str, int]] = {}
    stints = stint_model.objects.select_related("team", "breakdown__run").order_by("pk")
    with translation.override("en"):
        for stint in stints.iterator():
            rows = stint.components or []
            if all("code" in row for row in rows):
                continue
            run = stint.breakdown.run
            counts = per_run.setdefault(run.pk, {"coded": 0, "kept_as_text": 0})
            new_rows = []
            for row in rows:
                if "code" in row:
                    new_rows.append(row)
                    continue
                level = row.get("level", "team")
                scope = {"team": stint.team.name, "department": "department", "company": "company"}.get(level, level)
                first = decimals.get(int(row["key"])) if str(row.get("key", "")).isdigit() else None
                places = tuple(dict.fromkeys([*([first] if first is not None else []), 1, 0, 2, 3, 4]))
                converted = legacy_row_to_code(row, scope=scope, currency=run.currency, places=places)
                counts["kept_as_text" if converted["code"] == LITERAL else "coded"] += 1
                new_rows.append(converted)
            stint_model.objects.filter(pk=stint.pk).update(components=new_rows)
    for run_id, counts in per_run.items():
        audit_model.objects.create(
            actor=None,
            action="payoutrun.explanations_to_codes",
            object_type="incentives.payoutrun",
            object_id=str(run_id),
            before={"format": "english words"},
            after={"format": "codes and figures", **counts},
            reason="Migration incentives 0005: explanations stored as codes, their English rendering checked equal "
            "to the stored words (rows no code reproduces keep their words).",
        )
    return per_run


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        _allow(schema_editor)
    convert(
        apps.get_model("incentives", "PayoutStint"),
        apps.get_model("incentives", "Component"),
        apps.get_model("core", "AuditEntry"),
    )
    if postgres:
        _restore(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incentives", "0004_retained_payees"), ("core", "0003_audit_actor_protect")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
