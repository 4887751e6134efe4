"""Facet tokens in the search documents, and the index over them (see ``search.facets``).

Existing documents get their tokens here, from the records as they stand, so that an upgraded
registry filters by facets at once; the engine's index is then built in its new shape.
"""

import importlib
from collections import defaultdict

from django.db import migrations, models

from hrcoop.recommendations.search.facets import record_tokens

CHUNK = 2000


def fill_facets(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    Recommendation = apps.get_model("recommendations", "Recommendation")
    Classification = apps.get_model("recommendations", "Classification")
    RecommendingStates = Recommendation.recommending_states.through
    State = apps.get_model("reference", "State")
    Organisation = apps.get_model("reference", "Organisation")
    organisations = defaultdict(list)
    for state_id, code in Organisation.members.through.objects.values_list("state_id", "organisation_id"):
        organisations[state_id].append(code)
    states = {
        pk: (group, tuple(sorted(organisations[pk])))
        for pk, group in State.objects.values_list("pk", "regional_group_id")
    }
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        states = defaultdict(list)
        for rec_id, state_id in RecommendingStates.objects.filter(recommendation_id__in=chunk).values_list(
            "recommendation_id", "state_id"
        ):
            states[rec_id].append(state_id)
        labels = defaultdict(list)
        for rec_id, label_id in Classification.objects.filter(
            recommendation_id__in=chunk, status="accepted"
        ).values_list("recommendation_id", "label_id"):
            labels[rec_id].append(label_id)
        documents = []
        for r in Recommendation.objects.filter(pk__in=chunk).values(
            "pk", "state_under_review_id", "mechanism_id", "cycle_id", "session_id", "response"
        ):
            facets = record_tokens(
                state_under_review=r["state_under_review_id"],
                recommending_states=states[r["pk"]],
                mechanism=r["mechanism_id"],
                cycle=r["cycle_id"],
                session=r["session_id"],
                response=r["response"],
                labels=labels[r["pk"]],
                states=states,
            )
            documents.append(SearchDocument(pk=r["pk"], facets=facets))
        SearchDocument.objects.bulk_update(documents, ["facets"])


def _previous():
    return importlib.import_module("hrcoop.recommendations.search.migrations.0002_engine_index")


def drop_previous_index(apps, schema_editor):
    for statement in _previous().UNINSTALL[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


def restore_previous_index(apps, schema_editor):
    for statement in _previous().INSTALL[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


def install_index(apps, schema_editor):
    from hrcoop.recommendations.search.engines import engine

    for statement in engine(schema_editor.connection).install_sql():
        schema_editor.execute(statement)


def uninstall_index(apps, schema_editor):
    from hrcoop.recommendations.search.engines import engine

    for statement in engine(schema_editor.connection).uninstall_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_engine_index"),
        ("recommendations", "0003_registry_version"),
        ("reference", "0001_initial"),
    ]

    # The old index goes first: filling the tokens under it would rewrite every generated tsvector
    # (PostgreSQL) or fire the triggers (SQLite) for each row.
    operations = [
        migrations.RunPython(drop_previous_index, restore_previous_index),
        migrations.AddField(
            model_name="searchdocument",
            name="facets",
            field=models.TextField(default="", help_text="Facet tokens of the record (see search.facets)"),
        ),
        migrations.RunPython(fill_facets, migrations.RunPython.noop),
        migrations.RunPython(install_index, uninstall_index),
    ]
