# Two loans that hold one item (accepted or handed over) may never share a day. PostgreSQL
# enforces it with an exclusion constraint, which also holds between transactions running at
# the same moment; SQLite, which lets one writer in at a time, with triggers.
from django.db import migrations

HOLDING = "('accepted', 'handed_over')"

POSTGRESQL_FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""
    ALTER TABLE sharing_loan ADD CONSTRAINT loan_no_overlap
    EXCLUDE USING gist (post_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
    WHERE (status IN {HOLDING})
    """,
]
POSTGRESQL_BACKWARDS = ["ALTER TABLE sharing_loan DROP CONSTRAINT IF EXISTS loan_no_overlap"]

_OVERLAP = f"""
    WHEN NEW.status IN {HOLDING} AND EXISTS (
        SELECT 1 FROM sharing_loan other
        WHERE other.post_id = NEW.post_id AND other.id != NEW.id
          AND other.status IN {HOLDING}
          AND other.starts_on <= NEW.ends_on AND NEW.starts_on <= other.ends_on
    )
    BEGIN SELECT RAISE(ABORT, 'loan_no_overlap'); END
"""
SQLITE_FORWARDS = [
    f"CREATE TRIGGER loan_no_overlap_insert BEFORE INSERT ON sharing_loan {_OVERLAP}",
    f"CREATE TRIGGER loan_no_overlap_update BEFORE UPDATE ON sharing_loan {_OVERLAP}",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS loan_no_overlap_insert",
    "DROP TRIGGER IF EXISTS loan_no_overlap_update",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS})


def backwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS})


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
