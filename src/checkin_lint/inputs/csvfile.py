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
from typing import Iterator

from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import Document, ReadOptions
from checkin_lint.inputs.stream import LINES, FileText
from checkin_lint.inputs.textmap import TextBuilder, align
from checkin_lint.quotes import inherited_subject, new_words

BODY_COLUMNS = ("body", "email body", "message", "text", "content")
"""Header names taken as the body column when none is named."""
_DELIMITERS = ",;\t"
Record = tuple[int, int, int, list[str], list[str]]
"""A CSV record: start and end offsets, 0-based first line, fields, and its lines if kept."""


def _records(path: str, lines: Iterator[str], dialect: type[csv.Dialect] | csv.Dialect, *,
             keep: bool) -> Iterator[Record]:
    """Each record of ``lines`` (the text split as :data:`~checkin_lint.inputs.stream.LINES`
    splits it): ``(start, end, first line, fields, its lines)`` where ``start``/``end`` are
    character offsets from the first line and the first line is 0-based; ``its lines`` (the
    record's text) only with ``keep``."""
    consumed_to = 0  # offset just past the last line the csv module has read
    line_count = 0
    kept: list[str] = []

    def feed() -> Iterator[str]:
        nonlocal consumed_to, line_count
        for line in lines:
            consumed_to += len(line)
            line_count += 1
            if keep:
                kept.append(line)
            yield line

    # The csv module reads one line at a time and never ahead, so a record starts where the
    # lines read for the previous one end.
    reader = csv.reader(feed(), dialect, strict=True)
    while True:
        begin, first_line = consumed_to, line_count
        kept = []
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError([Problem(path, f"malformed CSV: {exc}", reader.line_num)]) from None
        yield begin, consumed_to, first_line, row, kept


def _cell_starts(text: str, start: int, end: int, count: int, delimiter: str, quote: str) -> list[int]:
    """Offsets where each of the first ``count`` cells of the record at ``text[start:end]``
    begins (``end`` for a cell a stray quote hides)."""
    starts = [start]
    i = start
    quoted = False
    while i < end and len(starts) < count:
        ch = text[i]
        if ch == quote:
            quoted = not quoted
        elif ch == delimiter and not quoted:
            starts.append(i + 1)
        elif ch in "\r\n" and not quoted:
            break
        i += 1
    return starts + [end] * (count - len(starts))


def _column(header: list[str], wanted: str | None, what: str, path: str) -> int | None:
    names = [h.strip().lower() for h in header]
    if wanted is None:
        return None
    if wanted.strip().lower() in names:
        return names.index(wanted.strip().lower())
    raise InputError([Problem(path, f"no {what} column {wanted!r} (columns: {', '.join(header)})", 1)])


SNIFF_CHARS = 20000
"""Characters at the start of the file from which :class:`csv.Sniffer` guesses the dialect."""


def _dialect(path: str, sample: str) -> type[csv.Dialect] | csv.Dialect:
    if path.lower().endswith(".tsv"):
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        return csv.excel


def read(source: Source, options: ReadOptions) -> Document:
    """Read a CSV export into one message per row, each read when the document's
    :meth:`~checkin_lint.inputs.Document.iter_messages` comes to it."""
    dialect = _dialect(source.path, source.text[:SNIFF_CHARS])
    records = _records(source.path, (m.group() for m in LINES.finditer(source.text)), dialect, keep=False)
    return _document(source, records, dialect, options, None)


def read_stream(text: FileText, options: ReadOptions) -> Document:
    """:func:`read` for a file read a window at a time: each row's message has a source of
    its own, the record's text (see :mod:`~checkin_lint.inputs.stream`)."""
    dialect = _dialect(text.display, text.head(SNIFF_CHARS))
    records = _records(text.display, text.lines(LINES), dialect, keep=True)
    return _document(Source(text.display, ""), records, dialect, options, text.display)



def _document(source: Source, records: Iterator[Record], dialect: type[csv.Dialect] | csv.Dialect,
              options: ReadOptions, windowed: str | None) -> Document:
    """Read the header row and leave the other rows pending. ``windowed`` (the file's name)
    gives each row a source of its own, its record's text; else offsets point into ``source``."""
    path = source.path
    first = next(records, None)
    if first is None:
        raise InputError([Problem(path, "empty CSV: no header row")])
    header = first[3]
    body = _column(header, options.column, "body", path)
    if body is None:
        names = [h.strip().lower() for h in header]
        body = next((names.index(n) for n in BODY_COLUMNS if n in names), None)
        if body is None:
            raise InputError([Problem(path, f"name the body column with --column (columns: {', '.join(header)})", 1)])
    subject = _column(header, options.subject_column, "subject", path)
    ident = _column(header, options.id_column, "id", path)
    needed = max(c for c in (body, subject, ident) if c is not None) + 1

    def messages() -> Iterator[Message]:
        for row_number, (begin, end, first_line, row, lines) in enumerate(records, 2):
            if not any(cell.strip() for cell in row):
                continue
            here = source
            if windowed is not None:
                here = Source(windowed, "".join(lines), begin, first_line)
                begin, end = 0, end - begin
            if len(row) < needed:
                line = here.line_col(begin)[0]
                raise InputError([Problem(path, f"row {row_number} has {len(row)} fields; the header has {len(header)}", line)])
            cells = _cell_starts(here.text, begin, end, needed, dialect.delimiter, dialect.quotechar or '"')
            builder = TextBuilder(here)
            if subject is not None and row[subject].strip():
                if inherited_subject(row[subject]):
                    builder.drop("subject", cells[subject], cells[subject] + len(row[subject]))
                else:
                    builder.add_mapped(row[subject], align(row[subject], here.text, cells[subject], end=end))
                    builder.add_gap("\n\n")
            text = TextBuilder(here)
            text.add_mapped(row[body], align(row[body], here.text, cells[body], end=end))
            builder.extend(new_words(text.message()))
            label = f"row {row_number}" + (f" (id {row[ident].strip()})" if ident is not None and row[ident].strip() else "")
            meta = {"row": row_number, "subject": row[subject] if subject is not None and row[subject].strip() else ""}
            message = builder.message(label=label, channel="email", meta=meta)
            if message.text.strip():
                yield message

    return Document(source, "csv", pending=messages())
