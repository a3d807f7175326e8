"""On PostgreSQL the database itself refuses changes to approved and paid payout runs.

The models and services already refuse them; these triggers also stop raw SQL, other clients and
bugs that bypass the ORM. Rows of lines, breakdowns and stints are checked once per statement
(transition tables), so recalculating a draft of 10,000 lines costs one join, not 10,000 lookups.
SQLite keeps the application-level guard only.
"""

from django.db import migrations

LOCKED = "('approved', 'paid')"

# Per table: how a changed row finds its run's status.
RUN_OF = {
    "incentives_payoutline": "JOIN incentives_payoutrun r ON r.id = t.run_id",
    "incentives_payoutbreakdown": "JOIN incentives_payoutrun r ON r.id = t.run_id",
    "incentives_payoutstint": (
        "JOIN incentives_payoutbreakdown b ON b.id = t.breakdown_id JOIN incentives_payoutrun r ON r.id = b.run_id"
    ),
    "incentives_adjustment": "JOIN incentives_payoutrun r ON r.id = t.run_id",
}
# Adjustments are added to approved runs (that is what they are for); they only refuse change and removal.
EVENTS = {
    "incentives_payoutline": ("INSERT", "UPDATE", "DELETE"),
    "incentives_payoutbreakdown": ("INSERT", "UPDATE", "DELETE"),
    "incentives_payoutstint": ("INSERT", "UPDATE", "DELETE"),
    "incentives_adjustment": ("UPDATE", "DELETE"),
}


def _row_function(table: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {table}_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locked_run bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT r.id INTO locked_run FROM new_rows t {RUN_OF[table]} WHERE r.status IN {LOCKED} LIMIT 1;
    ELSE
        SELECT r.id INTO locked_run FROM old_rows t {RUN_OF[table]} WHERE r.status IN {LOCKED} LIMIT 1;
    END IF;
    IF locked_run IS NOT NULL THEN
        RAISE EXCEPTION 'payout run % is approved or paid: % on {table} refused', locked_run, TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END $$;
"""


def _triggers(table: str) -> list[str]:
    statements = []
    for event in EVENTS[table]:
        rows = "NEW TABLE AS new_rows" if event == "INSERT" else "OLD TABLE AS old_rows"
        statements.append(
            f"CREATE TRIGGER {table}_locked_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING {rows} FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_locked()"
        )
    return statements


RUN_FUNCTION = f"""
CREATE OR REPLACE FUNCTION incentives_payoutrun_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status NOT IN {LOCKED} THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' AND (
        NEW IS NOT DISTINCT FROM OLD
        OR (OLD.status = 'approved' AND NEW.status = 'paid'
            AND (NEW.plan_id, NEW.currency, NEW.total, NEW.line_count, NEW.prepared_by_id, NEW.computed_at,
                 NEW.approved_by_id, NEW.approved_at, NEW.created_at)
                IS NOT DISTINCT FROM
                (OLD.plan_id, OLD.currency, OLD.total, OLD.line_count, OLD.prepared_by_id, OLD.computed_at,
                 OLD.approved_by_id, OLD.approved_at, OLD.created_at))
    ) THEN
        RETURN NEW;  -- unchanged, or approved -> paid with only who and when paid set
    END IF;
    RAISE EXCEPTION 'payout run % is %: % refused (only approved -> paid is allowed)', OLD.id, OLD.status, TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in RUN_OF:
        schema_editor.execute(_row_function(table), params=None)
        for statement in _triggers(table):
            schema_editor.execute(statement)
    schema_editor.execute(RUN_FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER incentives_payoutrun_locked BEFORE UPDATE OR DELETE ON incentives_payoutrun "
        "FOR EACH ROW EXECUTE FUNCTION incentives_payoutrun_refuse_locked()"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS incentives_payoutrun_locked ON incentives_payoutrun")
    schema_editor.execute("DROP FUNCTION IF EXISTS incentives_payoutrun_refuse_locked()")
    for table in RUN_OF:
        for event in EVENTS[table]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_locked_{event.lower()} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse_locked()")


class Migration(migrations.Migration):
    dependencies = [("incentives", "0002_payout_breakdowns")]

    operations = [migrations.RunPython(forwards, backwards)]
