"""An index in the order of a search without text (newest first), so its first page is read in order.

Without it a facet-only search sorted every match to show twenty (86 ms for 5,000 matches at 41k on
PostgreSQL). The two engines place NULL dates differently and SQLite cannot write NULLS LAST in an
index, so each gets the index that matches ``ORDER BY date DESC NULLS LAST, session_id DESC, id DESC``
on it; that is why this is SQL and not a ``Meta.indexes`` entry.
"""

from django.db import migrations

NAME = "recommendation_newest_first"
COLUMNS = {
    "sqlite": '"date" DESC, "session_id" DESC, "id" DESC',
    "postgresql": '"date" DESC NULLS LAST, "session_id" DESC, "id" DESC',
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(f"CREATE INDEX {NAME} ON recommendations_recommendation ({COLUMNS[vendor]})")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_registry_version")]

    operations = [migrations.RunPython(create, drop)]
