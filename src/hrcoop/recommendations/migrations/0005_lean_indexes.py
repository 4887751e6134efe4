"""Drop the indexes of the records and labels that no query uses; every import maintained them.

Measured on PostgreSQL, writing the import's 40,835 records and 113,074 labels
(``bench/import_upr_info.py``): the ``LIKE``-pattern twins Django adds to a unique or indexed text
column (public id, identity key, source id, mechanism), the source id's own index, the mechanism's
and the cycle's (a handful of values each; never chosen), and the person's, on a column set only by
a person's decision (now indexed where set). Uniqueness of the public id and the identity key stays,
as named constraints.

The schema changes are written out rather than left to ``AlterField``: on SQLite each of those
rebuilds the whole table (six copies of it) and would lose the ``recommendation_newest_first`` index
of migration 0004, which Django's model state does not hold.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "recommendations_recommendation"
# (index, column, whether it is a LIKE-pattern index); the pattern indexes exist on PostgreSQL only.
DROPPED = [
    ("recommendations_recommendation_public_id_44fc3f9b_like", "public_id", True),
    ("recommendations_recommendation_identity_key_70dca35f_like", "identity_key", True),
    ("recommendations_recommendation_source_id_9f8e634a", "source_id", False),
    ("recommendations_recommendation_source_id_9f8e634a_like", "source_id", True),
    ("recommendations_recommendation_mechanism_id_43c8ece4", "mechanism_id", False),
    ("recommendations_recommendation_mechanism_id_43c8ece4_like", "mechanism_id", True),
    ("recommendations_recommendation_cycle_id_cb6f57c1", "cycle_id", False),
]
# PostgreSQL's unique constraints take the names the model state now gives them; SQLite keeps its
# unnamed column constraints, which enforce the same.
RENAMED = [
    ("recommendations_recommendation_public_id_key", "recommendation_public_id_unique"),
    ("recommendations_recommendation_identity_key_key", "recommendation_identity_key_unique"),
]
PERSON_INDEX, PERSON_INDEX_BEFORE = (
    "classification_person",
    "recommendations_classification_person_id_93cad592",
)


def forwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name, _column, _pattern in DROPPED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    if postgresql:
        for old, new in RENAMED:
            schema_editor.execute(f'ALTER TABLE "{TABLE}" RENAME CONSTRAINT "{old}" TO "{new}"')
    schema_editor.execute(f'DROP INDEX IF EXISTS "{PERSON_INDEX_BEFORE}"')
    schema_editor.execute(
        f'CREATE INDEX "{PERSON_INDEX}" ON "recommendations_classification" ("person_id") '
        'WHERE "person_id" IS NOT NULL'
    )


def backwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(f'DROP INDEX IF EXISTS "{PERSON_INDEX}"')
    schema_editor.execute(
        f'CREATE INDEX "{PERSON_INDEX_BEFORE}" ON "recommendations_classification" ("person_id")'
    )
    if postgresql:
        for old, new in RENAMED:
            schema_editor.execute(f'ALTER TABLE "{TABLE}" RENAME CONSTRAINT "{new}" TO "{old}"')
    for name, column, pattern in DROPPED:
        if pattern and not postgresql:
            continue
        operator_class = " varchar_pattern_ops" if pattern else ""
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{TABLE}" ("{column}"{operator_class})')


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0004_newest_first_index"),
        ("reference", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AlterField(
                    model_name="classification",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="recommendation",
                    name="cycle",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="reference.uprcycle",
                    ),
                ),
                migrations.AlterField(
                    model_name="recommendation",
                    name="identity_key",
                    field=models.CharField(max_length=64),
                ),
                migrations.AlterField(
                    model_name="recommendation",
                    name="mechanism",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT, to="reference.mechanism"
                    ),
                ),
                migrations.AlterField(
                    model_name="recommendation",
                    name="public_id",
                    field=models.CharField(max_length=16),
                ),
                migrations.AlterField(
                    model_name="recommendation",
                    name="source_id",
                    field=models.CharField(
                        blank=True,
                        help_text="The source's own id: UHRI annotation id, or document symbol and paragraph",
                        max_length=120,
                    ),
                ),
                migrations.AddIndex(
                    model_name="classification",
                    index=models.Index(
                        condition=models.Q(("person__isnull", False)),
                        fields=["person"],
                        name="classification_person",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="recommendation",
                    constraint=models.UniqueConstraint(
                        fields=("public_id",), name="recommendation_public_id_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="recommendation",
                    constraint=models.UniqueConstraint(
                        fields=("identity_key",), name="recommendation_identity_key_unique"
                    ),
                ),
            ],
        )
    ]
