"""The engine's own full-text index over search_searchdocument (FTS5 on SQLite, tsvector+GIN on PostgreSQL)."""

from django.db import migrations


def install(apps, schema_editor):
    from hrcoop.recommendations.search.engines import engine

    for statement in engine(schema_editor.connection).install_sql():
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    from hrcoop.recommendations.search.engines import engine

    for statement in engine(schema_editor.connection).uninstall_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
