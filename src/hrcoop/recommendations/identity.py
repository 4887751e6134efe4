"""A recommendation's identity: the folded text and key that find it again in any later export, and its
public id.

Pure functions of a row's fields, apart from the database: the import writer computes them for every
row (``services.resolver``), and tests and migrations compare with them. What the key means and why it
holds the response is said in ``hrcoop.recommendations.models``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from itertools import count

import ftfy

from hrcoop.recommendations.models import Response

# Everything but letters and digits: punctuation, brackets, symbols, whitespace (``\w`` less "_").
NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def fold_text(text: str) -> str:
    """The text as identity sees it: its letters and digits only, mis-decoded characters repaired,
    Unicode-normalised (NFKC) and casefolded.

    Exports of one source differ in the details of one recommendation's text - a final full stop,
    "OP-CAT" or "OPCAT", a space before a bracket, a double space, "GuaranÃ­" where a tool read UTF-8
    as Latin-1 - and each of those made a second record (20 such pairs in UPR Info's 2015 export
    alone). Only the words and numbers identify it. ``ftfy`` repairs the mis-decoding; it runs only on
    texts that are not plain ASCII, which most are. Migration 0006 applies this to the records
    imported before it.
    """
    if not text.isascii():
        text = ftfy.fix_text(text, normalization="NFKC")
    return NOT_LETTERS_OR_DIGITS.sub("", text.casefold())


def identity_key(*, mechanism: str, state_iso3: str, session: int | None, text: str, response: str) -> str:
    return stem_key(
        identity_stem(mechanism=mechanism, state_iso3=state_iso3, session=session, text=text), response
    )


def identity_stem(*, mechanism: str, state_iso3: str, session: int | None, text: str) -> str:
    """What identifies a recommendation apart from its response (see ``identity_key``)."""
    return "|".join([mechanism, state_iso3, "" if session is None else str(session), fold_text(text)])


def stem_key(stem: str, response: str) -> str:
    """The identity key of a stem answered with ``response``."""
    return hashlib.sha256("|".join((stem, response)).encode()).hexdigest()


PENDING = Response.PENDING.value
DECIDED = (Response.SUPPORTED.value, Response.SUPPORTED_IN_PART.value, Response.NOTED.value)


def response_twins(stem: str, response: str) -> list[str]:
    """The keys under which the same recommendation may already be in the registry with another
    response: for a response, the record made while it was pending, then those with another
    response (an earlier export said otherwise); for a pending row (an older export read after a
    newer one), the records made with each response."""
    if response == PENDING:
        return [stem_key(stem, decided) for decided in DECIDED]
    if response not in DECIDED:
        return []
    return [stem_key(stem, other) for other in (PENDING, *DECIDED) if other != response]


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648


def public_id_for(key: str) -> str:
    """A short id: "R" and the first 50 bits of a hex digest in ten base32 characters."""
    bits = int(key[:13], 16) >> 2
    return "R" + "".join(_BASE32[(bits >> shift) & 31] for shift in range(45, -1, -5))


def public_id_choices(stem: str, key: str) -> Iterator[str]:
    """A new record's public ids, in order of preference: it takes the first no record has.

    The first comes from the identity stem, without the response, so that it does not depend on when
    the response arrived: a record imported as pending and answered later, and the same record
    imported answered at once, have one id on every installation. Only a recommendation that the
    State answered in two ways (two records of one stem: UPR Info's rows of one text with different
    responses) needs the next, made from its identity key. That one can be taken too, by a record
    made under the same key whose response later changed (it keeps its id); the ones after it are
    numbered, and stay the same on every installation that imported the same files in order.
    """
    yield public_id_for(hashlib.sha256(stem.encode()).hexdigest())
    yield public_id_for(key)
    for number in count(1):
        yield public_id_for(hashlib.sha256(f"{key}#{number}".encode()).hexdigest())
