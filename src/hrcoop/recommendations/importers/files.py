"""Opening an import file safely: every way a file can be unreadable becomes an ``ImportFailed``.

Exports arrive plain or gzip-compressed (detected by magic bytes, not by the name), sometimes empty,
sometimes as the wrong thing altogether (a spreadsheet, a UTF-16 text, a truncated download). Parsers
call ``open_source`` and ``read_delimited`` so that each of those gets one clear message naming the
file, the row and the column, and never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hrcoop.core.errors import ImportFailed

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 64 * 1024
# No real recommendation comes near this (the longest UPR Info text is 2,321 characters); a longer
# field is a broken quote or the wrong file, reported with its row and column.
MAX_FIELD_CHARS = 100_000
# The csv module's own cap while reading: above MAX_FIELD_CHARS so that our check, which knows the
# column, normally fires first; bounded so that a runaway quote cannot swallow the whole file.
CSV_FIELD_LIMIT = 32 * 1024 * 1024
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_READ_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, OSError)


@dataclass
class Source:
    """An opened import file: its bytes (decompressed), and the first of them for format detection."""

    name: str
    stream: BinaryIO
    head: bytes
    compressed: bool


def _read_failure(exc: BaseException, *, compressed: bool) -> str:
    if compressed and isinstance(exc, EOFError):
        return "the gzip file is truncated (it ends before its end-of-stream marker): download it again"
    if compressed:
        return f"the gzip data is corrupt ({exc}): download the file again"
    return f"the file could not be read ({exc})"


@contextmanager
def open_source(path: Path) -> Iterator[Source]:
    """Open ``path`` for reading, decompressing gzip; reject missing, empty and binary files."""
    name = str(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, after the caller is done
    except FileNotFoundError as exc:
        raise ImportFailed("no such file", file=name) from exc
    except IsADirectoryError as exc:
        raise ImportFailed("this is a directory, not a file", file=name) from exc
    except OSError as exc:
        raise ImportFailed(f"the file cannot be opened ({exc.strerror})", file=name) from exc
    try:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        stream: BinaryIO = (
            io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"), buffer_size=HEAD_BYTES)  # type: ignore[arg-type]
            if compressed
            else io.BufferedReader(raw, buffer_size=HEAD_BYTES)  # type: ignore[arg-type]
        )
        try:
            head = stream.peek(HEAD_BYTES)[:HEAD_BYTES]  # type: ignore[attr-defined]
        except _READ_ERRORS as exc:
            raise ImportFailed(_read_failure(exc, compressed=compressed), file=name, row=1) from exc
        _check_head(head, name=name)
        yield Source(name=name, stream=stream, head=head, compressed=compressed)
    finally:
        raw.close()


def _check_head(head: bytes, *, name: str) -> None:
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFailed(
            "the file is empty: expected a header row and at least one recommendation", file=name
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFailed(
            "the file is encoded as UTF-16: save it as UTF-8 (or the export's own encoding)", file=name
        )
    if head.startswith(ZIP_MAGIC):
        raise ImportFailed(
            "this is a ZIP container (e.g. an .xlsx workbook), not a delimited text export", file=name
        )
    if b"\x00" in head:
        offset = head.index(b"\x00")
        raise ImportFailed(
            f"this is a binary file, not a text export (NUL byte at byte {offset} of the content)", file=name
        )


def read_delimited(
    source: Source, *, encoding: str, delimiter: str, columns: list[str], optional: int = 0
) -> Iterator[tuple[int, list[str], ImportFailed | None]]:
    """Yield ``(row, fields, problem)`` for each record after the header; the header is row 1.

    ``problem`` is None for a row that was read whole; a row with the wrong number of fields, a field
    too long or a byte the encoding cannot read comes with the reason, so that the caller can reject
    it and go on. The last ``optional`` columns may be missing. What stops the reading (a broken
    quote, a truncated gzip) raises. Text is decoded with ``surrogateescape`` so that a byte the
    encoding cannot read is reported with its row and column instead of failing inside a buffer.
    """
    strict_check = codecs.lookup(encoding).name.startswith("utf")
    text = io.TextIOWrapper(source.stream, encoding=encoding, errors="surrogateescape", newline="")  # type: ignore[type-var]
    reader = csv.reader(text, delimiter=delimiter)
    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    row = 0
    try:
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFailed(
                    f"malformed CSV ({exc}): a field is longer than {CSV_FIELD_LIMIT:,} characters "
                    "or a quote is not closed",
                    file=source.name,
                    row=row + 1,
                ) from exc
            except _READ_ERRORS as exc:
                message = _read_failure(exc, compressed=source.compressed)
                raise ImportFailed(message, file=source.name, row=row + 1) from exc
            row += 1
            if row == 1:
                continue  # the header; the parser has checked it from ``source.head``
            if not any(fields):
                continue  # a blank line (trailing newline, spreadsheet padding)
            problem = None
            if max(map(len, fields)) > MAX_FIELD_CHARS or (
                strict_check and _UNDECODABLE.search("".join(fields))
            ):
                problem = _bad_field(fields, row=row, file=source.name, columns=columns, encoding=encoding)
            elif not len(columns) - optional <= len(fields) <= len(columns):
                expected = len(columns) - optional
                problem = ImportFailed(
                    f"expected {expected} fields separated by {delimiter!r}, found {len(fields)}",
                    file=source.name,
                    row=row,
                )
            yield row, fields, problem
    finally:
        csv.field_size_limit(previous_limit)


def _bad_field(
    fields: list[str], *, row: int, file: str, columns: list[str], encoding: str
) -> ImportFailed | None:
    """The problem of the first field of a row that is too long or holds a byte the encoding cannot read."""
    for index, value in enumerate(fields):
        column = columns[index] if index < len(columns) else f"#{index + 1}"
        if len(value) > MAX_FIELD_CHARS:
            return ImportFailed(
                f"field of {len(value):,} characters (at most {MAX_FIELD_CHARS:,} allowed): "
                "probably an unclosed quote or the wrong file",
                file=file,
                row=row,
                column=column,
            )
        if bad := _UNDECODABLE.search(value):
            byte = ord(bad.group()) - 0xDC00
            return ImportFailed(
                f"byte 0x{byte:02x} is not valid {encoding.upper()}: the file is in another "
                f"encoding; save it as {encoding.upper()}",
                file=file,
                row=row,
                column=column,
            )
    return None


# --- which single-byte encoding ---------------------------------------------------------------------

ENCODING_NAMES = {"utf-8": "UTF-8", "mac_roman": "Mac Roman", "cp1252": "Latin-1 (Windows-1252)"}
_NON_ASCII = re.compile(rb"[A-Za-z]?[\x80-\xff]+")
_SAMPLE_RUNS = 20_000  # more than any real export has (the 2015 files: 2 to 13 each)


def detect_encoding(path: Path, *, usual: str) -> tuple[str, str | None]:
    """The encoding a text file without a BOM is written in, and a warning when that is uncertain.

    Exports of one format arrive in whatever their last editor saved them as: the UPR Info 2015
    export is Mac Roman, but opened and saved on Windows it is Latin-1 (Windows-1252), and saved by a
    recent tool UTF-8. Read in the wrong single-byte encoding every accented letter silently becomes
    another character ("é" written in Latin-1 reads "È" in Mac Roman), so it is decided here from the
    bytes above ASCII, with the letter before each: valid UTF-8 sequences throughout mean UTF-8;
    otherwise the single-byte encoding in which they read as lower-case letters inside words (as
    accents in running text do) rather than as control characters, symbols or capitals after a
    lower-case letter. The statistical detectors (charset-normalizer) cannot tell these apart on a
    handful of accented letters in a file of two million ASCII characters; this rule can. With no
    byte above ASCII every reading is the same, and ``usual`` is returned.
    """
    runs: list[bytes] = []
    with open_source(path) as source:
        carry = b""
        while len(runs) < _SAMPLE_RUNS:
            try:
                chunk = source.stream.read(1 << 20)
            except _READ_ERRORS:
                break  # the parser's own reading reports it, with the row
            data = carry + chunk
            cut = len(data) if not chunk else max(0, len(data) - 8)
            while cut and cut < len(data) and data[cut - 1] >= 0x80:
                cut -= 1  # do not split a run of non-ASCII bytes between two chunks
            runs += _NON_ASCII.findall(data, 0, cut)
            carry = data[cut:]
            if not chunk:
                break
    if not runs:
        return usual, None
    if all(_is_utf8(run.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")) for run in runs):
        return "utf-8", None
    scores = {encoding: _score(runs, encoding) for encoding in ("mac_roman", "cp1252")}
    best = max(scores, key=lambda encoding: (scores[encoding], encoding == usual))
    others = [score for encoding, score in scores.items() if encoding != best]
    if scores[best] <= 0 or scores[best] == max(others):
        return usual, (
            f"the encoding could not be told from its {len(runs)} accented characters; read as "
            f"{ENCODING_NAMES[usual]}: check accented letters in the imported texts"
        )
    return best, None


def _is_utf8(run: bytes) -> bool:
    try:
        run.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _score(runs: list[bytes], encoding: str) -> int:
    """How much the runs read as accented letters in words in ``encoding`` (see ``detect_encoding``)."""
    score = 0
    for run in runs:
        text = run.decode(encoding, errors="replace")
        for index, char in enumerate(text):
            if char.isascii():
                continue
            category = unicodedata.category(char)
            if char == "\ufffd" or category.startswith("C"):
                score -= 2  # a byte this encoding leaves undefined, or a control character
            elif category == "Ll":
                score += 1
            elif category == "Lu" and index and text[index - 1].islower():
                score -= 1  # a capital inside a word
    return score
