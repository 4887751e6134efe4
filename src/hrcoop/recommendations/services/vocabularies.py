"""The label vocabularies: issues, themes, affected persons, action categories and SDGs, with the
aliases sources use for them and their names in the UN languages.

They are kept in ``recommendations/data/labels_*.csv`` and ``label_names.csv`` and synchronised into the
database before each import (``sync_vocabularies``); a label added elsewhere (``--new-labels``, the SDG
models) goes through ``create_labels`` too, so that the registry's version follows every new label.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.db import transaction

from hrcoop.core.events import reference_changed
from hrcoop.recommendations.models import Label, LabelAlias
from hrcoop.reference.names import name_key
from hrcoop.reference.translations import names_file

VOCABULARY_DIR = Path(__file__).resolve().parent.parent / "data"


def _vocabulary_rows() -> Iterator[dict[str, str]]:
    for path in sorted(VOCABULARY_DIR.glob("labels_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


@transaction.atomic
def create_labels(labels: Sequence[Label]) -> list[Label]:
    """Add labels to the vocabularies, in one statement; returns them with their keys.

    A new label changes what records may show (a facet value, a name on a page): one
    ``reference_changed`` for all of them raises the registry's version. The vocabulary files, an
    import's new labels (``--new-labels``) and the SDG models' goals and targets all add labels here.
    """
    if not labels:
        return []
    created = Label.objects.bulk_create(labels)
    reference_changed.send()
    return created


def sync_vocabularies() -> int:
    """Create the labels and aliases of ``data/labels_*.csv`` that are missing; rename changed ones,
    in English and in the other UN languages (``data/label_names.csv``).

    Runs inside each import's transaction (two queries when nothing changed). Returns how many labels
    and aliases it created or renamed.
    """
    labels = {
        (kind, code): (pk, name, names)
        for pk, kind, code, name, names in Label.objects.values_list("pk", "kind", "code", "name", "names")
    }
    translated = names_file(VOCABULARY_DIR / "label_names.csv")
    aliases = set(LabelAlias.objects.values_list("kind", "key"))
    renamed = 0
    rows = list(_vocabulary_rows())
    new_labels: list[Label] = []
    for row in rows:
        current = labels.get((row["kind"], row["code"]))
        names = translated.get((row["kind"], row["code"]), {})
        if current is None:
            new_labels.append(Label(kind=row["kind"], code=row["code"], name=row["name"], names=names))
        elif current[1:] != (row["name"], names):
            Label.objects.filter(pk=current[0]).update(name=row["name"], names=names)
            renamed += 1
    for label in create_labels(new_labels):
        labels[(label.kind, label.code)] = (label.pk, label.name, label.names)
    new_aliases: list[LabelAlias] = []
    for row in rows:
        label_id = labels[(row["kind"], row["code"])][0]
        for alias in filter(None, row["aliases"].split("|")):
            key = name_key(alias)
            if (row["kind"], key) not in aliases:
                aliases.add((row["kind"], key))
                new_aliases.append(LabelAlias(label_id=label_id, kind=row["kind"], key=key))
    LabelAlias.objects.bulk_create(new_aliases)
    if renamed:  # a renamed label changes what records show
        reference_changed.send()
    return len(new_labels) + renamed + len(new_aliases)
