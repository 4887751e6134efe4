"""On PostgreSQL, the search vectors move from generated columns of the documents to a narrow table.

A query matching many records reads every match from the table that holds its vectors; the documents
also hold the token strings (1.3 GB at a million records). SQLite is unchanged.
"""

import importlib

from django.db import migrations

previous = importlib.import_module("hrcoop.recommendations.search.migrations.0003_facet_tokens")


def reinstall(apps, schema_editor):
    from hrcoop.recommendations.search.engines import engine

    if schema_editor.connection.vendor != "postgresql":
        return
    search_engine = engine(schema_editor.connection)
    for statement in [*previous.UNINSTALL["postgresql"], *search_engine.install_sql()]:
        schema_editor.execute(statement)


def restore_previous(apps, schema_editor):
    from hrcoop.recommendations.search.engines import engine

    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [*engine(schema_editor.connection).uninstall_sql(), *previous.INSTALL["postgresql"]]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_facet_tokens")]

    operations = [migrations.RunPython(reinstall, restore_previous)]
