"""Long files read a window at a time: the text of a CSV export or an mbox archive on disk,
decoded from its handle a chunk at a time, never held whole.

:class:`FileText` reads the file in chunks of :data:`CHUNK_BYTES` through an incremental
decoder and yields its text as lines, exactly as the whole-text readers split it; the CSV
and mbox readers (``read_stream`` in :mod:`~checkin_lint.inputs.csvfile` and
:mod:`~checkin_lint.inputs.mime`) cut those lines into one window per record or message, a
:class:`~checkin_lint.document.Source` that knows its character offset and first line in
the file, so every position in a report is what reading the whole file gives. Memory
holds one chunk and one record or message at a time, whatever the file's size.

Decoding follows :func:`~checkin_lint.inputs.read_document` to the byte: UTF-8 (strict,
or with ``surrogateescape`` for e-mail, whose parts declare their own charsets), or the
UTF-16/32 encoding a byte-order mark announces, and the same one-line errors at the same
byte offsets. :meth:`FileText.check` reads the file once beforehand, so a bad byte near
the end is reported before any message is linted, as when the file is read whole.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Iterator

from checkin_lint.directives import DIRECTIVE_MARK
from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import BYTE_FORMATS, NUL_SAMPLE, bad_bom_text, bad_utf8, empty_file, file_encoding, nul_problem

CHUNK_BYTES = 1 << 20
"""Bytes read from the file at a time (1 MiB)."""

LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
"""One line and its line break (``\\r\\n``, ``\\r`` or ``\\n``), as the CSV reader splits lines."""
FEED_LINES = re.compile(r"[^\n]*\n|[^\n]+$")
"""One line up to and with its line feed, as mbox separators are found."""
TRANSFER_ENCODED = re.compile(r"^content-transfer-encoding:[ \t]*(?:base64|quoted-printable)", re.I | re.M)
"""A header line that declares a base64 or quoted-printable body."""


def line_breaks(text: str) -> int:
    """How many line breaks (``\\r\\n``, ``\\r``, ``\\n``) ``text`` holds."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


@dataclass(frozen=True)
class Facts:
    """What :meth:`FileText.check` learned about the whole file: ``marked`` when its text
    holds a directive comment mark, ``encoded`` when a line of an e-mail file declares a
    base64 or quoted-printable body (which can hide a directive from a look at the text)."""

    marked: bool
    encoded: bool


class FileText:
    """The decoded text of the file at ``path`` (reported as ``display``), read as input
    format ``kind`` a chunk at a time. Each iteration opens the file anew; nothing of it is
    kept between them. Raises :class:`InputError` (naming ``display``) for a file that
    cannot be read, is over ``limit`` bytes, or cannot be decoded."""

    def __init__(self, path: str, display: str, kind: str, limit: int) -> None:
        self.path = path
        self.display = display
        self.kind = kind
        self.limit = limit

    def _raw(self) -> Iterator[bytes]:
        try:
            with open(self.path, "rb") as handle:
                total = 0
                while chunk := handle.read(CHUNK_BYTES):
                    total += len(chunk)
                    if total > self.limit:
                        raise InputError([Problem(self.display, f"file is over the {self.limit:,}-byte limit")])
                    yield chunk
        except OSError as exc:
            raise InputError([Problem(self.display, f"cannot read: {exc.strerror or exc}")]) from None

    def chunks(self) -> Iterator[str]:
        """The file's text in pieces of about :data:`CHUNK_BYTES` (the byte-order mark dropped)."""
        raw = self._raw()
        first = b""
        for chunk in raw:  # one chunk, unless chunks are smaller than the sample that is checked
            first += chunk
            if len(first) >= NUL_SAMPLE:
                break
        bom, codec = file_encoding(first)
        if bom and codec != "utf-8":
            errors = "strict"
        elif b"\x00" in first[:NUL_SAMPLE]:
            raise InputError([nul_problem(self.display, first[:NUL_SAMPLE])])
        else:
            # One character per undecodable byte in e-mail, as the whole-file reader does.
            errors = "surrogateescape" if self.kind in BYTE_FORMATS else "strict"
        decoder = codecs.getincrementaldecoder(codec)(errors)
        consumed = len(bom)  # file bytes handed to the decoder so far
        data = first[len(bom):]
        while True:
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                offset = consumed - pending + exc.start
                if bom and codec != "utf-8":
                    raise InputError([bad_bom_text(self.display, codec, offset)]) from None
                raise InputError([bad_utf8(self.display, exc.object[exc.start:exc.start + 1], offset)]) from None
            if text:
                yield text
            if not data:
                return
            consumed += len(data)
            data = next(raw, b"")

    def lines(self, pattern: re.Pattern[str] = LINES) -> Iterator[str]:
        """The file's lines with their line breaks, as ``pattern.finditer`` splits the whole
        text (:data:`LINES`, or :data:`FEED_LINES` for line feeds only). A line is yielded
        once it is complete: a ``\\r`` at the end of a chunk waits for the next one, which
        may start with its ``\\n``."""
        carry = ""
        for chunk in self.chunks():
            text = carry + chunk if carry else chunk
            end = 0
            for match in pattern.finditer(text):
                line = match.group()
                if match.end() == len(text) and line[-1] != "\n":  # no line break yet, or a \r
                    break
                end = match.end()
                yield line
            carry = text[end:]
        if carry:
            yield from (m.group() for m in pattern.finditer(carry))

    def check(self) -> Facts:
        """Read the whole file once: raises :class:`InputError` as reading it whole would
        (unreadable, too large, binary, not decodable, empty), else the :class:`Facts` that
        say whether it may hold directive comments."""
        marked = encoded = seen = False
        mime = self.kind in BYTE_FORMATS
        for line in self.lines(FEED_LINES):
            if not seen and line.strip():
                seen = True
            if not marked and DIRECTIVE_MARK in line:
                marked = True
            if mime and not encoded and TRANSFER_ENCODED.match(line):
                encoded = True
        if not seen:
            raise InputError([empty_file(self.display)])
        return Facts(marked, encoded)

    def head(self, size: int) -> str:
        """The first ``size`` characters of the text (fewer in a shorter file)."""
        parts: list[str] = []
        length = 0
        for chunk in self.chunks():
            parts.append(chunk)
            length += len(chunk)
            if length >= size:
                break
        return "".join(parts)[:size]
