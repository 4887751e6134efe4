"""The engine's own full-text index over search_searchdocument (FTS5 on SQLite, tsvector+GIN on PostgreSQL).

The statements are written out as they were when this migration was made: the index's later shape
(``engines.install_sql``) is installed by 0003, over columns that do not exist yet at this step.
"""

from django.db import migrations

INSTALL = {
    "sqlite": [
        "CREATE VIRTUAL TABLE search_fts USING fts5(stems, words, doc, content='', "
        "tokenize='unicode61 remove_diacritics 0')",
        "INSERT INTO search_fts(rowid, stems, words, doc) "
        "SELECT recommendation_id, stems, words, 'doc' FROM search_searchdocument",
        "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(rowid, stems, words, doc) "
        "VALUES (new.recommendation_id, new.stems, new.words, 'doc'); END",
        "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, stems, words, doc) "
        "VALUES ('delete', old.recommendation_id, old.stems, old.words, 'doc'); END",
        "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, stems, words, doc) "
        "VALUES ('delete', old.recommendation_id, old.stems, old.words, 'doc'); "
        "INSERT INTO search_fts(rowid, stems, words, doc) "
        "VALUES (new.recommendation_id, new.stems, new.words, 'doc'); END",
    ],
    "postgresql": [
        "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        "(setweight(to_tsvector('simple'::regconfig, stems), 'A') || "
        "setweight(to_tsvector('simple'::regconfig, words), 'B')) STORED",
        "CREATE INDEX search_searchdocument_tsv ON search_searchdocument USING gin (tsv)",
    ],
}
UNINSTALL = {
    "sqlite": [f"DROP TRIGGER IF EXISTS search_fts_{t}" for t in ("ai", "ad", "au")]
    + ["DROP TABLE IF EXISTS search_fts"],
    "postgresql": [
        "DROP INDEX IF EXISTS search_searchdocument_tsv",
        "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
    ],
}


def install(apps, schema_editor):
    for statement in INSTALL[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in UNINSTALL[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
