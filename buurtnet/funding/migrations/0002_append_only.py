from django.db import migrations

# Ledger entries, ledger lines, votes and decisions are written once and kept as they are: the
# database itself refuses UPDATE and DELETE on them (TRUNCATE too, on PostgreSQL), whoever
# writes to the tables. A correction is a new row.
#
# Deleting is let through only on a connection that switched it on, for the length of one
# transaction (buurtnet.funding.unlock.ledger_unlocked): for flushing a test database and for
# maintenance that deletes a whole neighbourhood. Updating is refused even then.
# - PostgreSQL: the setting buurtnet.allow_ledger_delete is 'on'.
# - SQLite: the one-row table funding_ledger_unlock holds a row; ledger_unlocked inserts it and
#   removes it again in the same transaction, so no other connection ever sees it.
#
# Both databases raise an IntegrityError ("append-only: <table>").
# On SQLite, a later migration that alters one of these tables rebuilds it and so drops its
# triggers; such a migration must run SQLITE_FORWARDS again (tests/funding/test_append_only.py
# fails otherwise). On PostgreSQL, a later data migration that updates these rows is refused.

TABLES = ("funding_ledgerentry", "funding_ledgerline", "funding_vote", "funding_decision")

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION funding_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE')
            AND current_setting('buurtnet.allow_ledger_delete', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'append-only: %', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$
"""

POSTGRESQL_FORWARDS = [POSTGRESQL_FUNCTION]
POSTGRESQL_BACKWARDS = []
for _table in TABLES:
    POSTGRESQL_FORWARDS += [
        f"CREATE TRIGGER {_table}_no_update BEFORE UPDATE ON {_table}"
        " FOR EACH ROW EXECUTE FUNCTION funding_append_only()",
        f"CREATE TRIGGER {_table}_no_delete BEFORE DELETE ON {_table}"
        " FOR EACH ROW EXECUTE FUNCTION funding_append_only()",
        # Row triggers do not see TRUNCATE (nor TRUNCATE ... CASCADE from a referenced table).
        f"CREATE TRIGGER {_table}_no_truncate BEFORE TRUNCATE ON {_table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION funding_append_only()",
    ]
    POSTGRESQL_BACKWARDS += [
        f"DROP TRIGGER IF EXISTS {_table}_no_update ON {_table}",
        f"DROP TRIGGER IF EXISTS {_table}_no_delete ON {_table}",
        f"DROP TRIGGER IF EXISTS {_table}_no_truncate ON {_table}",
    ]
POSTGRESQL_BACKWARDS.append("DROP FUNCTION IF EXISTS funding_append_only()")

SQLITE_FORWARDS = [
    "CREATE TABLE IF NOT EXISTS funding_ledger_unlock"
    " (id integer NOT NULL PRIMARY KEY CHECK (id = 1))",
]
SQLITE_BACKWARDS = []
for _table in TABLES:
    SQLITE_FORWARDS += [
        f"""
        CREATE TRIGGER {_table}_no_update BEFORE UPDATE ON {_table}
        BEGIN SELECT RAISE(ABORT, 'append-only: {_table}'); END
        """,
        f"""
        CREATE TRIGGER {_table}_no_delete BEFORE DELETE ON {_table}
        WHEN NOT EXISTS (SELECT 1 FROM funding_ledger_unlock)
        BEGIN SELECT RAISE(ABORT, 'append-only: {_table}'); END
        """,
    ]
    SQLITE_BACKWARDS += [
        f"DROP TRIGGER IF EXISTS {_table}_no_update",
        f"DROP TRIGGER IF EXISTS {_table}_no_delete",
    ]
SQLITE_BACKWARDS.append("DROP TABLE IF EXISTS funding_ledger_unlock")


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        # No parameters: the function's '%' must reach PostgreSQL as it is.
        schema_editor.execute(statement, params=None)


def make_append_only(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS})


def allow_changes(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS})


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(make_append_only, allow_changes),
    ]
