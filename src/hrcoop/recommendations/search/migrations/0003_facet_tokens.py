"""Facet tokens in the search documents, and the index over them (see ``search.facets``).

Existing documents get their tokens here, from the records as they stand, so that an upgraded
registry filters by facets at once; the engine's index is then built in its new shape.
"""

import importlib
from collections import defaultdict

from django.db import migrations, models

CHUNK = 2000

# The facet tokens as this migration wrote them, frozen here: a migration never imports application
# code, which may change after it (``search.facets`` is the living version).
TOKEN_FIELDS = ("state_under_review_id", "mechanism_id", "cycle_id", "session_id", "response")


def token(prefix, value):
    return f"{prefix}{value}" if isinstance(value, int) else f"{prefix}x{value.encode().hex()}"


def side_tokens(prefixes, state_ids, states):
    state, group_prefix, organisation = prefixes
    tokens = set()
    for pk in state_ids:
        group, organisations = states.get(pk, (None, ()))
        tokens.add(token(state, pk))
        tokens.update([token(group_prefix, group)] if group else [])
        tokens.update(token(organisation, code) for code in organisations)
    return sorted(tokens)


def record_tokens(record, *, recommending_states, labels, states):
    tokens = [token("me", record["mechanism_id"]), token("re", record["response"])]
    tokens += [token("cy", record["cycle_id"])] if record["cycle_id"] is not None else []
    tokens += [token("se", record["session_id"])] if record["session_id"] is not None else []
    tokens += side_tokens(("su", "ug", "uo"), [record["state_under_review_id"]], states)
    tokens += side_tokens(("rs", "rg", "ro"), recommending_states, states)
    tokens += [token("la", pk) for pk in sorted(set(labels))]
    return " ".join(tokens)


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
    properties = {
        pk: (group, tuple(sorted(organisations[pk])))
        for pk, group in State.objects.values_list("pk", "regional_group_id")
    }
    ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        recommending = defaultdict(list)
        for rec_id, state_id in RecommendingStates.objects.filter(recommendation_id__in=chunk).values_list(
            "recommendation_id", "state_id"
        ):
            recommending[rec_id].append(state_id)
        labels = defaultdict(list)
        for rec_id, label_id in Classification.objects.filter(
            recommendation_id__in=chunk, status="accepted"
        ).values_list("recommendation_id", "label_id"):
            labels[rec_id].append(label_id)
        documents = []
        for r in Recommendation.objects.filter(pk__in=chunk).values("pk", *TOKEN_FIELDS):
            facets = record_tokens(
                r, recommending_states=recommending[r["pk"]], labels=labels[r["pk"]], states=properties
            )
            documents.append(SearchDocument(pk=r["pk"], facets=facets))
        SearchDocument.objects.bulk_update(documents, ["facets"])


# The index of this migration, as it was written (``engines`` installs the current one in a later
# migration).
INSTALL = {
    "sqlite": [
        "CREATE VIRTUAL TABLE search_fts USING fts5(stems, words, doc, facets, content='', columnsize=0, "
        "tokenize='unicode61 remove_diacritics 0')",
        "INSERT INTO search_fts(rowid, stems, words, doc, facets) "
        "SELECT recommendation_id, stems, words, 'doc', facets FROM search_searchdocument",
        "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(rowid, stems, words, doc, facets) "
        "VALUES (new.recommendation_id, new.stems, new.words, 'doc', new.facets); END",
        "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, stems, words, doc, facets) "
        "VALUES ('delete', old.recommendation_id, old.stems, old.words, 'doc', old.facets); END",
        "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, stems, words, doc, facets) "
        "VALUES ('delete', old.recommendation_id, old.stems, old.words, 'doc', old.facets); "
        "INSERT INTO search_fts(rowid, stems, words, doc, facets) "
        "VALUES (new.recommendation_id, new.stems, new.words, 'doc', new.facets); END",
    ],
    "postgresql": [
        "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        "(setweight(to_tsvector('simple'::regconfig, stems), 'A') || "
        "setweight(to_tsvector('simple'::regconfig, words), 'B')) STORED",
        "ALTER TABLE search_searchdocument ADD COLUMN ftsv tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, facets)) STORED",
        "CREATE INDEX search_searchdocument_tsv ON search_searchdocument USING gin (tsv)",
        "CREATE INDEX search_searchdocument_ftsv ON search_searchdocument USING gin (ftsv)",
    ],
}
UNINSTALL = {
    "sqlite": [f"DROP TRIGGER IF EXISTS search_fts_{t}" for t in ("ai", "ad", "au")]
    + ["DROP TABLE IF EXISTS search_fts"],
    "postgresql": [
        "DROP INDEX IF EXISTS search_searchdocument_tsv",
        "DROP INDEX IF EXISTS search_searchdocument_ftsv",
        "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
        "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS ftsv",
    ],
}


def _run(statements):
    def operation(apps, schema_editor):
        for statement in statements[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return operation


_previous = importlib.import_module("hrcoop.recommendations.search.migrations.0002_engine_index")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_engine_index"),
        ("recommendations", "0003_registry_version"),
        ("reference", "0001_initial"),
    ]

    # The old index goes first: filling the tokens under it would rewrite every generated tsvector
    # (PostgreSQL) or fire the triggers (SQLite) for each row.
    operations = [
        migrations.RunPython(_run(_previous.UNINSTALL), _run(_previous.INSTALL)),
        migrations.AddField(
            model_name="searchdocument",
            name="facets",
            field=models.TextField(default="", help_text="Facet tokens of the record (see search.facets)"),
        ),
        migrations.RunPython(fill_facets, migrations.RunPython.noop),
        migrations.RunPython(_run(INSTALL), _run(UNINSTALL)),
    ]
