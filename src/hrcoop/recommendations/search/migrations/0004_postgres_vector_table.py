"""On PostgreSQL, the search vectors move from generated columns of the documents to a narrow table.

A query matching many records reads every match from the table that holds its vectors; the documents
also hold the token strings (1.3 GB at a million records). SQLite is unchanged.

The statements are frozen here as this migration installed them: a migration never imports
application code (``search.engines`` queries the table they make).
"""

import importlib

from django.db import migrations

previous = importlib.import_module("hrcoop.recommendations.search.migrations.0003_facet_tokens")

TEXT_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, {row}stems), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, {row}words), 'B')"
)
FACET_VECTOR = "array_to_tsvector(string_to_array({row}facets, ' '))"

INSTALL = [
    "CREATE TABLE search_vector (recommendation_id bigint PRIMARY KEY, text tsvector NOT NULL, "
    "facets tsvector NOT NULL)",
    f"INSERT INTO search_vector SELECT recommendation_id, {TEXT_VECTOR.format(row='')}, "
    f"{FACET_VECTOR.format(row='')} FROM search_searchdocument",
    "CREATE INDEX search_vector_text ON search_vector USING gin (text)",
    "CREATE INDEX search_vector_facets ON search_vector USING gin (facets)",
    "CREATE FUNCTION search_vector_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN DELETE FROM search_vector WHERE recommendation_id = old.recommendation_id; "
    f"ELSE INSERT INTO search_vector VALUES (new.recommendation_id, {TEXT_VECTOR.format(row='new.')}, "
    f"{FACET_VECTOR.format(row='new.')}) "
    "ON CONFLICT (recommendation_id) DO UPDATE SET text = excluded.text, facets = excluded.facets; "
    "END IF; RETURN NULL; END $$",
    "CREATE TRIGGER search_vector_sync AFTER INSERT OR UPDATE OR DELETE ON search_searchdocument "
    "FOR EACH ROW EXECUTE FUNCTION search_vector_sync()",
    "CREATE FUNCTION search_vector_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "TRUNCATE search_vector; RETURN NULL; END $$",
    "CREATE TRIGGER search_vector_truncate AFTER TRUNCATE ON search_searchdocument "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_vector_truncate()",
]
UNINSTALL = [
    "DROP TRIGGER IF EXISTS search_vector_sync ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_vector_truncate ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_vector_sync()",
    "DROP FUNCTION IF EXISTS search_vector_truncate()",
    "DROP TABLE IF EXISTS search_vector",
]


def _on_postgresql(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0003_facet_tokens")]

    operations = [
        migrations.RunPython(
            _on_postgresql([*previous.UNINSTALL["postgresql"], *INSTALL]),
            _on_postgresql([*UNINSTALL, *previous.INSTALL["postgresql"]]),
        )
    ]
