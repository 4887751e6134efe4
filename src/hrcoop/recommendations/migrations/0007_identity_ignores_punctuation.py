"""Recompute the identity keys of existing records with the text folded to its letters and digits.

``services.fold_text`` now ignores punctuation, brackets, whitespace and mis-decoded characters, so
that the same recommendation written with or without a final full stop is one record. The records
imported before keep their public ids (links given out stay valid); only their identity keys, which
imports match rows against, are recomputed here. Where two existing records become one identity (a
near-duplicate pair imported before this change), the older record takes the new key and the newer
keeps its old one: merging records is a decision about their links, labels and requests that this
migration does not take; ``docs/registry_import.md`` says how to find and merge them.

The fold and the hash are copied here as they are at this migration, as migrations must not import
application code.
"""

import hashlib
import re

import ftfy
from django.db import migrations

NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")
BATCH = 2000


def fold_text(text: str) -> str:
    if not text.isascii():
        text = ftfy.fix_text(text, normalization="NFKC")
    return NOT_LETTERS_OR_DIGITS.sub("", text.casefold())


def identity_key(mechanism: str, iso3: str, session: int | None, text: str, response: str) -> str:
    stem = "|".join([mechanism, iso3, "" if session is None else str(session), fold_text(text)])
    return hashlib.sha256("|".join((stem, response)).encode()).hexdigest()


def rekey(apps, schema_editor):
    Recommendation = apps.get_model("recommendations", "Recommendation")
    State = apps.get_model("reference", "State")
    iso3 = dict(State.objects.values_list("pk", "iso3"))
    records = Recommendation.objects.order_by("pk").values_list(
        "pk", "identity_key", "mechanism_id", "state_under_review_id", "session_id", "text", "response"
    )
    taken = set(Recommendation.objects.values_list("identity_key", flat=True))
    changed = []
    for pk, old, mechanism, state, session, text, response in records.iterator(chunk_size=BATCH):
        new = identity_key(mechanism, iso3[state], session, text, response)
        if new == old or new in taken:
            continue  # unchanged, or a newer near-duplicate of a record that took this key
        taken.discard(old)
        taken.add(new)
        changed.append(Recommendation(pk=pk, identity_key=new))
        if len(changed) >= BATCH:
            Recommendation.objects.bulk_update(changed, ["identity_key"])
            changed = []
    Recommendation.objects.bulk_update(changed, ["identity_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0006_registry_version_into_core"),
        ("reference", "0001_initial"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop, elidable=True)]
