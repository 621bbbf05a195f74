"""CSV exports of emails (a CRM, a sequencing tool): each row is a message.

The body column is ``--column NAME`` (or ``csv.column`` in the configuration); without one,
the first header among ``body``, ``email body``, ``message``, ``text``, ``content`` is used.
``--subject-column`` adds the subject to the linted text (not a reply's inherited ``Re:``
subject); ``--id-column`` adds the row's id
to its label. Rows are labelled by their row number as a spreadsheet shows it (the header
is row 1). The dialect (comma, semicolon or tab) is sniffed with :class:`csv.Sniffer`;
``.tsv`` files are tab-separated. Parsed with the standard :mod:`csv` module in strict mode;
each cell is located in the file, so findings point at the right line and column even in
quoted multi-line cells. Quoted replies and signatures in a body are dropped.
"""

from __future__ import annotations

import csv
import re
from typing import Iterator

from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import Document, ReadOptions
from checkin_lint.inputs.textmap import TextBuilder, align
from checkin_lint.quotes import inherited_subject, new_words

BODY_COLUMNS = ("body", "email body", "message", "text", "content")
"""Header names taken as the body column when none is named."""
_DELIMITERS = ",;\t"
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _records(source: Source, dialect: type[csv.Dialect] | csv.Dialect) -> Iterator[tuple[int, list[str]]]:
    """Each record with the source offset where it starts, read one line at a time."""
    text = source.text
    consumed_to = 0  # offset just past the last line the csv module has read

    def lines() -> Iterator[str]:
        nonlocal consumed_to
        for match in _LINES.finditer(text):
            consumed_to = match.end()
            yield match.group()

    # The csv module reads one line at a time and never ahead, so a record starts where the
    # lines read for the previous one end.
    reader = csv.reader(lines(), dialect, strict=True)
    while True:
        begin = consumed_to
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError([Problem(source.path, f"malformed CSV: {exc}", reader.line_num)]) from None
        yield begin, row


def _cell_starts(text: str, start: int, count: int, delimiter: str, quote: str) -> list[int]:
    """Offsets where each of the first ``count`` cells of the record at ``start`` begins."""
    starts = [start]
    i = start
    quoted = False
    while i < len(text) and len(starts) < count:
        ch = text[i]
        if ch == quote:
            quoted = not quoted
        elif ch == delimiter and not quoted:
            starts.append(i + 1)
        elif ch in "\r\n" and not quoted:
            break
        i += 1
    return starts


def _column(header: list[str], wanted: str | None, what: str, path: str) -> int | None:
    names = [h.strip().lower() for h in header]
    if wanted is None:
        return None
    if wanted.strip().lower() in names:
        return names.index(wanted.strip().lower())
    raise InputError([Problem(path, f"no {what} column {wanted!r} (columns: {', '.join(header)})", 1)])


def read(source: Source, options: ReadOptions) -> Document:
    """Read a CSV export into one message per row, each read when the document's
    :meth:`~checkin_lint.inputs.Document.iter_messages` comes to it."""
    sample = source.text[:20000]
    if source.path.lower().endswith(".tsv"):
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel_tab
    else:
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
        except csv.Error:
            dialect = csv.excel
    records = _records(source, dialect)
    first = next(records, None)
    if first is None:
        raise InputError([Problem(source.path, "empty CSV: no header row")])
    header = first[1]
    body = _column(header, options.column, "body", source.path)
    if body is None:
        names = [h.strip().lower() for h in header]
        body = next((names.index(n) for n in BODY_COLUMNS if n in names), None)
        if body is None:
            raise InputError([Problem(source.path, f"name the body column with --column (columns: {', '.join(header)})", 1)])
    subject = _column(header, options.subject_column, "subject", source.path)
    ident = _column(header, options.id_column, "id", source.path)
    needed = max(c for c in (body, subject, ident) if c is not None) + 1

    def messages() -> Iterator[Message]:
        for row_number, (start, row) in enumerate(records, 2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < needed:
                line = source.line_col(start)[0]
                raise InputError([Problem(source.path, f"row {row_number} has {len(row)} fields; the header has {len(header)}", line)])
            cells = _cell_starts(source.text, start, needed, dialect.delimiter, dialect.quotechar or '"')
            builder = TextBuilder(source)
            if subject is not None and row[subject].strip():
                if inherited_subject(row[subject]):
                    builder.drop("subject", cells[subject], cells[subject] + len(row[subject]))
                else:
                    builder.add_mapped(row[subject], align(row[subject], source.text, cells[subject]))
                    builder.add_gap("\n\n")
            text = TextBuilder(source)
            text.add_mapped(row[body], align(row[body], source.text, cells[body]))
            builder.extend(new_words(text.message()))
            label = f"row {row_number}" + (f" (id {row[ident].strip()})" if ident is not None and row[ident].strip() else "")
            meta = {"row": row_number, "subject": row[subject] if subject is not None and row[subject].strip() else ""}
            message = builder.message(label=label, channel="email", meta=meta)
            if message.text.strip():
                yield message

    return Document(source, "csv", pending=messages())
