# Full-text search over what members write, for matching asks to neighbours (sharing.search):
# an ask's or offer's title and text, and a member's own words about their talents and passions.
# SQLite: FTS5 tables that read their text from the rows themselves (external content), kept up
# to date by triggers. PostgreSQL: GIN indexes over the 'simple' text search configuration (no
# stemming: members write in forty languages).
from django.db import migrations

FTS = {
    # fts table: (content table, columns)
    "sharing_post_fts": ("sharing_post", ("title", "body")),
    "people_user_fts": ("people_user", ("talents_other", "passions")),
}


def _sqlite_forwards() -> list[str]:
    statements = []
    for fts, (table, columns) in FTS.items():
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        statements += [
            f"""CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}',
                content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
            f"""CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN
                INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END""",
            f"""CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN
                INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END""",
            f"""CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN
                INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});
                INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END""",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ]
    return statements


def _sqlite_backwards() -> list[str]:
    statements = []
    for fts in FTS:
        statements += [f"DROP TRIGGER IF EXISTS {fts}_{t}" for t in ("ai", "ad", "au")]
        statements.append(f"DROP TABLE IF EXISTS {fts}")
    return statements


def document(columns) -> str:
    """The text PostgreSQL indexes; sharing.search queries the very same expression."""
    return " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)


def _postgresql_forwards() -> list[str]:
    return [
        f"CREATE INDEX {fts} ON {table} USING gin (to_tsvector('simple', {document(columns)}))"
        for fts, (table, columns) in FTS.items()
    ]


def _postgresql_backwards() -> list[str]:
    return [f"DROP INDEX IF EXISTS {fts}" for fts in FTS]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, _sqlite_forwards())
    elif vendor == "postgresql":
        _run(schema_editor, _postgresql_forwards())


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, _sqlite_backwards())
    elif vendor == "postgresql":
        _run(schema_editor, _postgresql_backwards())


class Migration(migrations.Migration):
    dependencies = [("sharing", "0002_loans_never_overlap"), ("people", "0005_asks_and_blocks")]

    operations = [migrations.RunPython(forwards, backwards)]
